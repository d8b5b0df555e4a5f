"""From the record model to RDF: the IRI policy, the vocabulary and the mapper."""
