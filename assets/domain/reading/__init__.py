"""Reading a document: bytes → text → normalized text, metadata, region and outline of provisions."""
