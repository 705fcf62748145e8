"""The terminal UI of cxzy (Textual): check record books before filing them."""
