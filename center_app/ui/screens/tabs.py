"""A section made of several screens, one tab each (補助金・協働: the grants and 共催・後援)."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QWidget


class SectionTabs(QTabWidget):
    """Screens as tabs: each tab's ``activate()`` (if any) is called when the section is shown
    (the current tab) and when its tab is chosen. ``widget(i)`` is the screen of tab ``i``."""

    def __init__(self, pages: list[tuple[QWidget, str]], parent: QWidget | None = None):
        super().__init__(parent)
        self.setDocumentMode(True)
        for page, title in pages:
            self.addTab(page, title)
        self.currentChanged.connect(lambda _index: self.activate())

    def activate(self) -> None:
        """Activate the current tab."""
        activate = getattr(self.currentWidget(), "activate", None)
        if callable(activate):
            activate()
