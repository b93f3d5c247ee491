"""Where the project's data files live (ontology, shapes, gazetteer)."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
ROOT = PACKAGE_DIR.parent
ONTOLOGY_DIR = ROOT / "ontology"
SHAPES_DIR = ROOT / "shapes"
ONTOLOGY_FILE = ONTOLOGY_DIR / "quoth.ttl"
SHAPES_FILE = SHAPES_DIR / "quoth-shapes.ttl"
