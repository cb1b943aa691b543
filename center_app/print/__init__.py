"""Printed documents: reportlab PDFs with the bundled Japanese fonts embedded as subsets."""
