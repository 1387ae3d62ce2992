"""Wires the reminder service to the Today view, the notifications and the tray."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from models.care.steps import CareTiming, skip_step
from models.clients.bookings import set_booking_status
from models.clients.couples import shares_with
from models.clients.templates import template_for
from models.reminders.key import ReminderKey
from models.reminders.rules import (
    NOTIFICATION_SNOOZE,
    Reminder,
    TodayList,
    day_in_zone,
    done_log,
    occurrence_of,
    snooze_until,
)
from models.reminders.store import mark_done, snooze
from models.store.changes import client_change
from models.store.entities import Client
from models.store.settings import is_on, reminder_time
from scheduler.push_reminders import PushReminders
from scheduler.reminder_wakeups import Look, ReminderService
from ui.today_view import TodayView
from ui.undo import UndoCommands

if TYPE_CHECKING:
    from models.exchange.booking_calendar import OfferedSession

SUMMARY_KEY = "summary"
KNOWN_FOR_DAYS = 31


class ReminderController(QObject):
    open_client = Signal(int)
    show_today = Signal()
    due_count_changed = Signal(int)
    fallback_message = Signal(str, str)  # title, text: for the tray when notifications fail

    def __init__(
        self,
        service: ReminderService,
        view: TodayView,
        notifier,
        now: Callable[[], datetime],
        undo: UndoCommands | None = None,
        parent: QObject | None = None,
        pusher: PushReminders | None = None,
    ):
        super().__init__(parent)
        self.undo = undo or UndoCommands(now, self)
        self.service = service
        self.view = view
        self.notifier = notifier
        self.pusher = pusher
        self._now = now
        self._known: dict[str, Reminder] = {}
        self._last_sent: tuple[str, str] = ("Rapport", "")
        self._summary_due: bool | None = None  # a summary to send: while Rapport was closed?
        service.due.connect(self._notify_each)
        service.missed.connect(self._notify_summary)
        service.reconciled.connect(self.refresh)
        view.open_requested.connect(self.open_client)
        view.snooze_requested.connect(self.snooze)
        view.done_requested.connect(self.done)
        view.compose_requested.connect(self.compose)
        view.skip_requested.connect(self.skip)
        view.promote_requested.connect(self.promote)
        view.decline_requested.connect(self.decline)
        view.offer_answered.connect(self.answer_offer)
        view.leads_requested.connect(self.choose_leads)
        if notifier is not None:
            notifier.activated.connect(self._on_activated)
            notifier.action_invoked.connect(self._on_action)
            notifier.failed.connect(self._on_failed)

    def refresh(self, result: Look) -> None:
        # Reminders a notification may still name; a month-old one is gone from the screen
        # (its button then opens Today), so the table does not grow for as long as Rapport runs.
        oldest = day_in_zone(result.now, self.service.zone) - timedelta(days=KNOWN_FOR_DAYS)
        self._known = {k: r for k, r in self._known.items() if r.occurs_on >= oldest}
        self._known.update((r.key, r) for r in result.reminders)
        self.view.show_list(
            result.listed,
            result.now,
            self.service.zone,
            result.suggestions,
            result.offers,
            result.strangers,
        )
        for client_id in result.delivery.held_for:  # their history, health, last contact
            self.undo.changes.report(client_change(client_id, ("interactions", "bookings")))
        due = result.listed.count_due()
        self.due_count_changed.emit(due)
        if self._summary_due is not None:
            self._send_summary(due, self._summary_due)
            self._summary_due = None
        self._withdraw_handled(result.listed, due)

    def _withdraw_handled(self, listed: TodayList, due: int) -> None:
        """Close the notifications of reminders no longer due: done, snoozed or logged
        anywhere (the window, another button); the summary once nothing is due."""
        if self.notifier is None:
            return
        still_due = {r.occurrence for r in (*listed.overdue, *listed.today)}
        self.notifier.withdraw(
            lambda key: (due == 0) if key == SUMMARY_KEY else occurrence_of(key) not in still_due
        )

    def snooze(self, reminder: Reminder, choice: str) -> None:
        now = self._now()
        if choice == "pick":
            from ui.dialogs.snooze_dialog import pick_snooze_end  # dialogs load when opened

            until = pick_snooze_end(self.view, now)
            if until is None:
                return
        else:
            until = snooze_until(choice, now, self.service.zone, reminder_time())
        snoozed = self.tr("Snoozed: {reminder}").format(reminder=reminder.text)
        with self.undo.changing(reminder.client_id, snoozed):
            snooze(reminder, until)

    def done(self, reminder: Reminder, log_kind: str) -> None:
        done = self.tr("Done: {reminder}").format(reminder=reminder.text)
        with self.undo.changing(reminder.client_id, done, _sharing(reminder)):
            mark_done(reminder, self._now(), log_kind or None, self.service.zone)

    def skip(self, reminder: Reminder) -> None:
        """Skip a care step: closed, not done; a yearly one comes again next year."""
        skipped = self.tr("Skipped: {reminder}").format(reminder=reminder.text)
        timing = CareTiming(self._now(), self.service.zone, reminder_time())
        with self.undo.changing(reminder.client_id, skipped):
            skip_step(ReminderKey.parse(reminder.key).row_id, timing)

    def compose(self, reminder: Reminder) -> None:
        """Write the greeting or check-in a reminder asks for; sent, it closes the reminder."""
        from ui.dialogs.compose_dialog import ComposeDialog

        client = Client.get_or_none(Client.id == reminder.client_id)
        if client is None:
            return  # deleted since Today was shown; the next look drops the reminder
        dialog = ComposeDialog(
            client,
            template_for(reminder),
            now=self._now,
            today=lambda: day_in_zone(self._now(), self.service.zone),
            reminder=reminder,
            parent=self.view,
        )
        sent = self.tr("Sent: {reminder}").format(reminder=reminder.text)
        with self.undo.changing(client.id, sent, _sharing(reminder)) as changing:
            changing.made = bool(dialog.exec())

    def promote(self, client_id: int) -> None:
        with self.undo.changing(client_id, self.tr("Made a client")):
            from models.insight.relationship import accept_promotion

            accept_promotion(client_id, day_in_zone(self._now(), self.service.zone))

    def decline(self, client_id: int) -> None:
        with self.undo.changing(client_id, self.tr("Kept as a customer")):
            from models.insight.relationship import decline_promotion

            decline_promotion(client_id)

    def answer_offer(self, offer: OfferedSession, answer: str) -> None:
        """Book a session the calendar offers, book every one of its calendar from now on,
        or say it is no session (it is not offered again)."""
        if answer == "open":
            self.open_client.emit(offer.client_id)
            return
        what = {
            "book": self.tr("Booked: {offer}"),
            "always": self.tr("Booked, and always for this calendar: {offer}"),
            "decline": self.tr("Not a session: {offer}"),
        }[answer].format(offer=offer.text)
        with self.undo.changing(offer.client_id, what):
            if answer == "always":
                from models.exchange.booking_calendar import book_always

                book_always(offer.calendar)
            else:
                set_booking_status(offer.booking_id, "booked" if answer == "book" else "declined")

    def choose_leads(self) -> None:
        """Add the people the owner ticks as leads, or never offer them again."""
        from models.capture.mail_store import add_as_leads, dismiss_strangers
        from ui.dialogs.leads_dialog import ADD, LeadsDialog

        dialog = LeadsDialog(self.view.strangers, self.view)
        if not dialog.exec():
            return
        if dialog.action == ADD:
            for lead in add_as_leads(dialog.ticked()):
                self.undo.changes.report(client_change(lead.id))
        else:
            dismiss_strangers(dialog.ticked())
        self.service.reconcile()  # Today without them

    def _notify_each(self, reminders: list[Reminder]) -> None:
        for reminder in reminders:
            self._known[reminder.key] = reminder
            self._send(reminder.key, reminder.title, reminder.text, with_buttons=True)

    def _notify_summary(self, _reminders: list[Reminder], while_closed: bool) -> None:
        """One notification for many: sent with the Today list this look produces, so that
        its count is exactly what Today lists as due."""
        self._summary_due = while_closed

    def _send_summary(self, count: int, while_closed: bool) -> None:
        # English's one and many as two texts, each with the count: a translation can give
        # every plural form of its language.
        if while_closed:
            one = self.tr(
                "Rapport was closed for a while: %n reminder is due. Open Today to see it.",
                "",
                count,
            )
            many = self.tr(
                "Rapport was closed for a while: %n reminders are due. Open Today to see them.",
                "",
                count,
            )
        else:
            one = self.tr("%n reminder is due. Open Today to see it.", "", count)
            many = self.tr("%n reminders are due. Open Today to see them.", "", count)
        text = one if count == 1 else many
        self._send(SUMMARY_KEY, "Rapport", text, with_buttons=False)

    def _send(self, key: str, title: str, text: str, with_buttons: bool) -> None:
        if self.pusher is not None:  # its own choice, apart from the desktop's
            self.pusher.send(title, text)
        if not is_on("notifications"):
            return
        self._last_sent = (title, text)
        if self.notifier is None:
            self.fallback_message.emit(title, text)
        else:
            self.notifier.send(key, title, text, with_buttons)

    def _on_activated(self, key: str) -> None:
        reminder = self._known.get(key)
        if reminder is None:
            self.show_today.emit()
        else:
            self.open_client.emit(reminder.client_id)

    def _on_action(self, key: str, action: str) -> None:
        reminder = self._known.get(key)
        if reminder is None:
            return
        if action == "open":
            self.open_client.emit(reminder.client_id)
        elif action == "snooze":
            self.snooze(reminder, NOTIFICATION_SNOOZE)
        elif action == "done":
            self.done(reminder, done_log(reminder.kind).without_asking or "")

    def _on_failed(self, reason: str) -> None:
        """No notification service: say it through the tray instead, once per message."""
        title, text = self._last_sent
        unavailable = self.tr("(Desktop notifications unavailable: {reason})")
        self.fallback_message.emit(title, f"{text}\n{unavailable.format(reason=reason)}")


def _sharing(reminder: Reminder) -> list[int]:
    """Who else a reminder's Done or message is logged on: a couple's anniversary partner."""
    return shares_with(reminder.client_id, reminder.occasion)[1:]
