"""A thin OOXML layer: tag names, namespaces and element builders for WordprocessingML packages."""
