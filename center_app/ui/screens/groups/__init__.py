"""団体 screen: the group registry (view, controller, table model, form and import dialogs)."""
