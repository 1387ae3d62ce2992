"""Who the client is, in one look: face, name, stage, tags, how to reach them."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QRectF, QSize, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from models.clients.entries import pinned_notes
from models.clients.photos import photo_versions
from models.clients.saving import client_tags, contact_values, referral_line
from models.clients.templates import mailto_url
from models.insight.health import Health
from models.insight.referrals import referred_values
from models.insight.relationship import Relationship
from models.insight.spending import Spending
from models.store.entities import Client
from models.values.kinds import STAGES
from ui.avatar import face_pixmap
from ui.elided_label import ElidedLabel
from ui.formatting import money, month_year, vocabulary
from ui.health_dot import health_label, paint_health_dot
from ui.labels import pinned_line, plain_label

AVATAR_SIZE = 64
HEALTH_DOT = 12


def wrapped_label(object_name: str) -> QLabel:
    """A line Rapport writes (figures, reasons): it wraps rather than widen the window."""
    label = plain_label(object_name)
    label.setWordWrap(True)
    return label


def describe_spending(summary: Spending) -> str:
    """ "3 sessions · 4,250.00 EUR in all, 1,416.67 EUR on average · Jun 2021 to Oct 2026"."""
    parts = []
    # Two source texts for English's one and many; each takes the count, so that a
    # translation can give every plural form its language has.
    if sessions := summary.sessions:
        one = QCoreApplication.translate("ClientHeader", "%n session", "", sessions)
        many = QCoreApplication.translate("ClientHeader", "%n sessions", "", sessions)
        parts.append(one if sessions == 1 else many)
    if purchases := summary.purchases:
        one = QCoreApplication.translate("ClientHeader", "%n purchase", "", purchases)
        many = QCoreApplication.translate("ClientHeader", "%n purchases", "", purchases)
        parts.append(one if purchases == 1 else many)
    for currency in summary.currencies():
        parts.append(
            QCoreApplication.translate(
                "ClientHeader", "{total} in all, {average} on average"
            ).format(
                total=money(summary.totals[currency], currency),
                average=money(summary.average(currency), currency),
            )
        )
    if summary.first_session:
        first, last = month_year(summary.first_session), month_year(summary.last_session)
        between = QCoreApplication.translate("ClientHeader", "{first} to {last}")
        parts.append(first if first == last else between.format(first=first, last=last))
    return "  ·  ".join(parts)


class ClientHeader(QWidget):
    copied = Signal(str)
    choose_photo_requested = Signal()
    remove_photo_requested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.avatar = self._avatar_button()
        # The owner's text can be any length: it elides (whole in the tooltip). Rapport's own
        # lines wrap. Either way a long line never makes the window wider (1024 px fit).
        self.name = ElidedLabel("clientName")
        self.preferred = ElidedLabel("quiet")
        self.stage = plain_label("stageChip")
        self.pinned = ElidedLabel("pinnedNote")
        self.tags = ElidedLabel("tags")
        self.places = ElidedLabel("quiet")
        self.how_we_met = ElidedLabel("quiet")
        self.referrals = ElidedLabel("quiet")
        self.spending = wrapped_label("spending")
        self.drifting = wrapped_label("drifting")
        self.health_dot = QLabel()
        self.health_dot.setFixedSize(HEALTH_DOT, HEALTH_DOT)
        self.health = wrapped_label("quiet")
        self._health: Health | None = None
        self.contacts = QHBoxLayout()
        self.contacts.setSpacing(6)

        title = QHBoxLayout()
        title.addWidget(self.name)
        title.addWidget(self.preferred)
        title.addStretch()
        title.addWidget(self.stage)
        details = QVBoxLayout()
        details.setSpacing(4)
        details.addLayout(title)
        details.addWidget(self.pinned, 0, Qt.AlignmentFlag.AlignLeft)
        details.addWidget(self.places)
        details.addLayout(self.contacts)
        details.addWidget(self.tags)
        details.addWidget(self.how_we_met)
        details.addWidget(self.referrals)
        details.addWidget(self.spending)
        health_row = QHBoxLayout()
        health_row.setSpacing(6)
        health_row.addWidget(self.health_dot, 0, Qt.AlignmentFlag.AlignTop)  # by the first line
        health_row.addWidget(self.health, 1)
        details.addLayout(health_row)
        details.addWidget(self.drifting)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(16)
        layout.addWidget(self.avatar, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(details, 1)

    def _avatar_button(self) -> QToolButton:
        """The face; a click offers to choose or remove the photo (or drop one on the page)."""
        button = QToolButton()
        button.setObjectName("avatar")
        button.setAutoRaise(True)
        button.setIconSize(QSize(AVATAR_SIZE, AVATAR_SIZE))
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        button.setStyleSheet("QToolButton::menu-indicator { image: none; }")  # a face, not a menu
        button.setAccessibleName(self.tr("Photo"))
        button.setToolTip(self.tr("Choose a photo, or drop one on the page"))
        menu = QMenu(button)
        menu.addAction(self.tr("Choose photo…"), self.choose_photo_requested.emit)
        self.remove_photo_action = menu.addAction(
            self.tr("Remove photo"), self.remove_photo_requested.emit
        )
        button.setMenu(menu)
        return button

    def show_client(self, client: Client, standing: Relationship, health: Health) -> None:
        name = client.full_name
        version = photo_versions([client.id]).get(client.id)
        face = face_pixmap(client.id, name, version, AVATAR_SIZE, self.devicePixelRatioF())
        self.avatar.setIcon(QIcon(face))
        self.remove_photo_action.setEnabled(version is not None)
        self.name.setText(name)
        self.preferred.setText(f"“{client.preferred_name}”" if client.preferred_name else "")
        self.stage.setText(vocabulary(STAGES[client.stage]).upper())
        self.stage.setProperty("stage", client.stage)
        self.stage.style().polish(self.stage)
        pinned = pinned_notes([client.id]).get(client.id, "")
        self.pinned.setText(pinned_line(pinned) if pinned else "")
        self.pinned.setVisible(bool(pinned))
        tags = client_tags(client.id)
        self.tags.setText("  ".join(f"#{t}" for t in tags))
        self.tags.setVisible(bool(tags))
        self.places.setText(_places(client))
        self.how_we_met.setText(
            self.tr("Met: {how}").format(how=client.how_we_met) if client.how_we_met else ""
        )
        self.how_we_met.setVisible(bool(client.how_we_met))
        referrals = " · ".join(
            part for part in (referral_line(client), self._booked_by_referrals(client)) if part
        )
        if client.no_greetings:
            referrals = " · ".join(part for part in (self.tr("No greetings"), referrals) if part)
        self.referrals.setText(referrals)
        self.referrals.setVisible(bool(referrals))
        self._show_contacts(client.id)
        text = describe_spending(standing.spending)
        self.spending.setText(text)
        self.spending.setVisible(bool(text))
        self.drifting.setText(
            self.tr("Drifting: {why}").format(why=standing.drifting) if standing.drifting else ""
        )
        self.drifting.setVisible(bool(standing.drifting))
        self._show_health(health)

    def _booked_by_referrals(self, client: Client) -> str:
        """ "their referrals booked 2,450.00 EUR": sessions and purchases paid by the
        clients this one referred, per currency (by name), never added up."""
        values = referred_values([client.id]).get(client.id, {})
        if not values:
            return ""
        booked = " · ".join(money(amount, currency) for currency, amount in values.items())
        return self.tr("their referrals booked {amount}").format(amount=booked)

    def _show_health(self, health: Health) -> None:
        ratio = self.devicePixelRatioF()
        pixmap = QPixmap(QSize(HEALTH_DOT, HEALTH_DOT) * ratio)
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        dot = QRectF(0, 0, HEALTH_DOT, HEALTH_DOT)
        paint_health_dot(painter, dot, health.level, self.palette(), QPalette.ColorRole.Window)
        painter.end()
        self._health = health
        self.health_dot.setPixmap(pixmap)
        self.health.setText(
            self.tr("{level}: {explanation}").format(
                level=health_label(health.level), explanation=health.explanation
            )
        )
        self.health.setToolTip(
            self.tr(
                "Relationship health weighs how recent the last contact was (most), how often "
                "you were in touch over two years, and how much the client spent compared with "
                "others."
            )
        )

    def changeEvent(self, event: QEvent) -> None:
        # A switch between light and dark: the dot's ring takes the new background.
        if event.type() == QEvent.Type.PaletteChange and self._health is not None:
            self._show_health(self._health)
        super().changeEvent(event)

    def _show_contacts(self, client_id: int) -> None:
        while self.contacts.count():
            widget = self.contacts.takeAt(0).widget()
            if widget:
                widget.setParent(None)  # off the page now, not at the next event loop turn
                widget.deleteLater()
        for email in contact_values(client_id, "email"):
            button = self._contact_button(email, self.tr("Write an email (opens your mail app)"))
            button.clicked.connect(
                lambda _=False, e=email: QDesktopServices.openUrl(
                    QUrl(mailto_url(e), QUrl.ParsingMode.TolerantMode)
                )
            )
        for phone in contact_values(client_id, "phone"):
            button = self._contact_button(phone, self.tr("Copy the number"))
            button.clicked.connect(lambda _=False, p=phone: self.copy(p))
        self.contacts.addStretch()

    def _contact_button(self, text: str, tooltip: str) -> QPushButton:
        # QPushButton shows its text literally, so addresses are never read as HTML.
        button = QPushButton(text)
        button.setObjectName("contact")
        button.setFlat(True)
        button.setToolTip(tooltip)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.contacts.addWidget(button)
        return button

    def copy(self, text: str) -> None:
        QGuiApplication.clipboard().setText(text)
        self.copied.emit(text)


def _places(client: Client) -> str:
    """ "Bäckerei Müller · Lives in Hamburg · From Lyon", leaving out what is unknown."""
    parts: list[str] = []
    if client.organization:
        parts.append(client.organization)
    if client.lives_now:
        lives_in = QCoreApplication.translate("ClientHeader", "Lives in {place}")
        parts.append(lives_in.format(place=client.lives_now))
    if client.where_from and client.where_from != client.lives_now:
        comes_from = QCoreApplication.translate("ClientHeader", "From {place}")
        parts.append(comes_from.format(place=client.where_from))
    if client.address:
        parts.append(client.address)
    return " · ".join(parts)
