"""Quoth: a claim-tracking knowledge base (speaker – claim – date as RDF).

The pipeline, one module per step (each imports only what stands below it):

    article -> kb.extract (quotes, speakers, dates) -> kb.graph (RDF per article)
            -> kb.validate (SHACL) -> kb.store (Oxigraph embedded or remote SPARQL)
            -> kb.queries / kb.ask / kb.export -> kb.cli and api/
"""

__version__ = "0.1.0"
