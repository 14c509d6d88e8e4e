"""The meetings changelist: its filters' addresses and its page's related rows, each worked out once a page."""

from django.contrib.admin.views.main import ALL_VAR, ORDER_VAR, PAGE_VAR, ChangeList
from django.utils.http import urlencode

from core.related import RowsWithRelated


def shown_page(request, per_page: int) -> tuple[int, int] | None:
    """The page of the list in its own order that the request asks for, as (its first row, its size);
    None for another order, every row at once, or a page number that is not one."""
    if ORDER_VAR in request.GET or ALL_VAR in request.GET:
        return None
    try:
        number = int(request.GET.get(PAGE_VAR, 1))
    except ValueError:
        return None
    return ((number - 1) * per_page, per_page) if number >= 1 else None


class MeetingChangeList(ChangeList):
    def get_query_string(self, new_params=None, remove=None):
        """Django's, each parameter encoded once a page: the filters' hundred and more choices each encode
        the page's parameters (a search's words among them) with their own. What a filter's choices keep
        of the page's parameters is worked out once for all of them (they set and remove the same keys)."""
        new_params = new_params or {}
        kept = self._kept_parameters(tuple(new_params), tuple(remove or ()))
        added = [(key, self._encoded(key, value)) for key, value in new_params.items() if value is not None]
        encoded = (part for _, part in sorted(kept + added, key=lambda pair: pair[0]))
        return f"?{'&'.join(part for part in encoded if part)}"

    def _kept_parameters(self, new: tuple, remove: tuple) -> list[tuple[str, str]]:
        """The page's parameters, encoded, but those named in `new` and those starting with a `remove` prefix."""
        memo = self.__dict__.setdefault("_kept", {})
        try:
            return memo[new, remove]
        except KeyError:
            pass
        except TypeError:  # a name that cannot be a key
            return self._kept_now(new, remove)
        memo[new, remove] = kept = self._kept_now(new, remove)
        return kept

    def _kept_now(self, new: tuple, remove: tuple) -> list[tuple[str, str]]:
        return [
            (key, self._encoded(key, value))
            for key, value in self.filter_params.items()
            if key not in new and not any(key.startswith(prefix) for prefix in remove)
        ]

    def _encoded(self, key, value) -> str:
        """`key=value` as Django's urlencode writes it (doseq: a list gives a pair for each of its values)."""
        memo = self.__dict__.setdefault("_encodings", {})
        name = (key, tuple(value) if isinstance(value, list) else value)
        try:
            encoded = memo.get(name)
        except TypeError:  # a value that cannot be a key
            return urlencode([(key, value)], doseq=True)
        if encoded is None:
            encoded = memo[name] = urlencode([(key, value)], doseq=True)
        return encoded

    def get_results(self, request):
        """The page's organizations (both sides at once), venues and sectors read by a query each: joined
        into the rows' query, they made PostgreSQL spend longer planning it than small queries take, and
        join every matching meeting to its organizations before sorting them (a search's thousands)."""
        super().get_results(request)
        # The organizations and venues by the name alone, which is all a row shows of them.
        self.result_list = RowsWithRelated(
            self.result_list,
            {"delegation_organization": ("name",), "host_organization": ("name",), "venue": ("name",), "sector": ()},
        )
