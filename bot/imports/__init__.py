"""Imports: the office's tracking spreadsheet (Excel template, history included) and conclusion notices
(DOCX, text PDF). Pure code: bytes in, checked items or row-numbered errors out; the services store and
apply them."""
