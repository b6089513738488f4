"""``clientgen diff``: what changes for a client's users between two versions of a spec.

``source`` reads each side (file or ``REF:path``), ``command`` runs both through
the pipeline, ``compare`` walks operations and models, ``schema`` compares two
schemas, ``rules`` holds every rule id and level, ``report`` renders text,
Markdown and JSON.
"""
