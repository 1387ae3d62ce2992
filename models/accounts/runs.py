"""Running the jobs of every account, for the command line and the window's worker.

A job that cannot run at all raises AccountError: its sentence is recorded as the
account's status and the other accounts and jobs still run. Anything else a job raises
is a bug: it is logged with its traceback, and the owner reads a sentence.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from models.accounts import jobs as job_table
from models.accounts.jobs import Job, JobReport, RunContext
from models.accounts.secrets import forget_password, password_for, save_password
from models.accounts.store import (
    Account,
    AccountError,
    account_by_id,
    accounts,
    add_account,
    record_status,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunResult:
    account: Account
    job: str
    report: JobReport | None  # None when the job could not run
    error: str = ""

    @property
    def line(self) -> str:
        said = self.error or self.report.summary
        return f"{self.account.shown_name} · {self.job}: {said}"


def run_jobs(
    command: str | None,
    now: Callable[[], datetime],
    progress: Callable[[int, int], None] | None = None,
    stopping: Callable[[], bool] | None = None,
    interactive: bool = True,
    only: Account | None = None,
) -> list[RunResult]:
    """Every job of `command` (all jobs: None) for every account, or `only` one."""
    results = []
    for account in [only] if only else accounts():
        jobs = job_table.jobs_for(account, command)
        if not jobs:
            continue
        try:
            password = password_for(account)
        except AccountError as error:
            results += [_failed(account, job, str(error), now()) for job in jobs]
            continue
        context = RunContext(account, password, now, interactive=interactive)
        if progress:
            context.progress = progress
        if stopping:
            context.stopping = stopping
        for job in jobs:
            if context.stopping():
                break
            results.append(_run(job, context))
    return results


def _run(job: Job, context: RunContext) -> RunResult:
    account = context.account
    try:
        report = job_table.load(job.target)(context)
    except AccountError as error:
        return _failed(account, job, str(error), context.now())
    except Exception:
        log.exception("The %s job failed for account %s", job.name, account.id)
        return _failed(
            account, job, "Something went wrong; the log has the details.", context.now()
        )
    record_status(account, job.name, context.now(), report.summary, failed=report.failed)
    return RunResult(account, job.name, report)


def _failed(account: Account, job: Job, error: str, at: datetime) -> RunResult:
    record_status(account, job.name, at, "", error=error)
    return RunResult(account, job.name, None, error)


def set_up_account(
    url: str,
    user: str,
    password: str,
    now: Callable[[], datetime],
    choices: dict[str, str] | None = None,
    label: str = "",
) -> tuple[Account, list[str]]:
    """Add the account, keep its password in the keyring and let every feature find what
    it needs on the server; the sentences of what each chose. Nothing is kept when any
    step fails: the owner fixes the address or password and tries again."""
    # No transaction around the steps: they talk to the server, and a write lock held
    # that long would stall the window's saves. A failed step removes the account again.
    account = add_account(url, user, label)
    try:
        save_password(account, password)
        context = RunContext(account, password, now, choices=dict(choices or {}))
        chosen = [
            job_table.load(target)(context)
            for kind, target in job_table.SET_UP
            if kind == account.kind
        ]
    except BaseException:
        with contextlib.suppress(AccountError):  # the keyring may be what failed
            forget_password(account)
        account.delete_instance()
        raise
    return account_by_id(account.id), chosen


def remove_account(account: Account) -> str:
    """Remove the account, its status and its password; what it brought in stays. A
    sentence when the keyring could not forget the password (it is then left there)."""
    try:
        forget_password(account)
        left = ""
    except AccountError as error:
        left = f"{error} The password for {account.shown_name} is still in the keyring."
    account.delete_instance()
    return left
