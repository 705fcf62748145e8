"""Dialogs: edit a field, mark a book checked, choose a grade, resolve a conflicting edit, choose where to save."""

from tui.dialogs.conflict import ConflictDialog
from tui.dialogs.edit_field import Edited, EditFieldDialog
from tui.dialogs.grade import GradeDialog
from tui.dialogs.mark_checked import CheckMark, MarkCheckedDialog
from tui.dialogs.save_path import SavePathDialog

__all__ = [
    "CheckMark",
    "ConflictDialog",
    "EditFieldDialog",
    "Edited",
    "GradeDialog",
    "MarkCheckedDialog",
    "SavePathDialog",
]
