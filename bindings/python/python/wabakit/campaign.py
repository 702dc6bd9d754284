"""Campaigns: one template to many recipients, as rows in the store that any number of workers
(processes, machines sharing a PostgreSQL store) claim and send, each row at most once, under
one rate for the profile. The same native code as `wabakit campaign …`."""

from __future__ import annotations

from typing import Any, Dict, Iterable, Mapping, Optional

from .receiver import Store


class Campaign:
    """Campaign `name` in `store`.

    ```python
    store = wabakit.Store.open("postgres://app@db/wabakit")
    c = wabakit.Campaign.create(store, "spring", "prod", profile, rows, "order_update", "en_US")
    c.run(profile)              # in as many processes as you like
    c.status()["sent"]
    ```
    """

    def __init__(self, store: Store, name: str) -> None:
        self.store = store
        self.name = name

    @classmethod
    def create(
        cls,
        store: Store,
        name: str,
        profile_name: str,
        profile: Mapping[str, Any],
        rows: Iterable[Mapping[str, Any]],
        template: str,
        language: str,
    ) -> "Campaign":
        """Create the campaign (or find it as created before, the same) for profile
        `profile_name` (its table `profile`) and load `rows`: message documents, each keyed by its
        `client_ref`, or by its row number (from 1) when it has none, so loading again adds
        nothing. Rows that cannot be read are in `last_load["invalid"]`."""
        c = cls(store, name)
        c.last_load = dict(
            store._native.campaign_create(name, profile_name, dict(profile), template, language, list(rows))
        )
        return c

    last_load: Dict[str, Any] = {}

    def run(
        self,
        profile: Mapping[str, Any],
        concurrency: int = 64,
        rate: Optional[int] = None,
        lease_seconds: float = 30.0,
        worker: Optional[str] = None,
    ) -> Dict[str, Any]:
        """Send the campaign's rows through `profile` (the campaign's profile table) until none
        is open, or it is paused or cancelled. `rate`: messages per second for every worker of
        the profile together (default: the profile's send limit; 0: none). What this worker did:
        `{"sent", "failed", "uncertain", "skipped", "stopped"}`."""
        return dict(
            self.store._native.campaign_run(self.name, dict(profile), concurrency, rate, lease_seconds, worker)
        )

    def status(self) -> Dict[str, Any]:
        """Rows by state (pending, claimed, started, sent, failed, uncertain, cancelled), the
        rate of the last minute and the time left."""
        return dict(self.store._native.campaign_status(self.name))

    def pause(self) -> None:
        """Workers take no new rows until `resume`."""
        self.store._native.campaign_set_state(self.name, "paused")

    def resume(self) -> None:
        """Workers take rows again."""
        self.store._native.campaign_set_state(self.name, "running")

    def cancel(self) -> None:
        """Cancel every row not yet started."""
        self.store._native.campaign_set_state(self.name, "cancelled")

    def retry_uncertain(self) -> int:
        """Send again the rows whose fate is still unknown (a duplicate for any that was
        delivered); how many."""
        return int(self.store._native.campaign_retry_uncertain(self.name))

    def __repr__(self) -> str:
        return f"Campaign({self.name!r}, {self.store!r})"
