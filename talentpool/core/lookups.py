"""``field__any=[...]``: ``field = ANY(%s)`` with the list as one array parameter (PostgreSQL).

Django's ``__in`` passes one parameter per value; for the 10,000 ID-number hashes an import looks
up, building and sending those parameters cost more than the queries (bench/bench_import.py).
Registered for every field in CoreConfig.ready; other databases use ``__in`` in chunks instead
(see registry.imports.validate.matching).
"""

from typing import Any

from django.db.models import Lookup

SEPARATOR = "\x1f"  # the ASCII unit separator: not in any text a user can type into a field


class AnyOf(Lookup):
    lookup_name = "any"
    prepare_rhs = False  # the list is prepared item by item below

    def get_db_prep_lookup(self, value: Any, connection: Any) -> tuple[str, list[Any]]:
        prep = [self.lhs.output_field.get_db_prep_value(v, connection, prepared=False) for v in value]
        return "%s", [prep]

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        (items,) = rhs_params
        if items and all(type(v) is str and SEPARATOR not in v for v in items):
            # Text sent as one string and split by the server: quoting 10,000 array elements one
            # by one in Python cost more than the query.
            return f"{lhs} = ANY(string_to_array({rhs}, chr({ord(SEPARATOR)})))", [*lhs_params, SEPARATOR.join(items)]
        return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        raise NotImplementedError("__any is PostgreSQL only; use __in")
