"""Screens of the TUI: import, the books list, one book, help."""

from tui.screens.book import BookScreen
from tui.screens.books import BooksScreen
from tui.screens.help import HelpScreen
from tui.screens.importing import ImportScreen

__all__ = ["BookScreen", "BooksScreen", "HelpScreen", "ImportScreen"]
