"""Importers that move other systems' sites in."""
