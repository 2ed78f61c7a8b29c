"""Pure domain code: text in, rows out. No files, caches or process pools; imports only the catalog."""
