"""The keys the schema stage leaves on an ``allOf`` it merged, for the records built from the merged schema.

Merging an ``allOf`` of objects into one object (``schemas``) loses what the
parts were; these keys keep it, once, for ``values`` and ``arguments`` to read
(models ignore them): which model declares each inherited field, the models
inherited from and the fields the object requires itself, so that a parent's
change is reported once, at the parent (``clientgen diff``); and the member
lists of its ``oneOf``/``anyOf`` parts (an ``allOf: [object, oneOf: [A, B]]``
body), whose members' fields are keyword arguments too.
"""

from __future__ import annotations

OWNERS = "x-clientgen-owners"
PARENTS = "x-clientgen-parents"
OWN_REQUIRED = "x-clientgen-own-required"
UNION_PARTS = "x-clientgen-union-parts"
