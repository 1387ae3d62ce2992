"""Rapport's main window: the client list on the left, the selected client on the right."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QListWidget,
    QMainWindow,
    QMenu,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from models.clock import system_now
from ui.after_first_paint import after_first_paint

# The frame (main.py paints it before the database opens) loads only what it shows; the
# rest, PySide's classes too (each costs the start when first loaded), loads with the contents.
if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from PySide6.QtGui import QAction, QCloseEvent

    from models.store.backups import Backup
    from models.store.changes import Change
    from models.store.entities import Client
    from scheduler.account_runs import AccountRuns
    from scheduler.daily_backup import BackupService
    from ui.client_list_model import ClientListModel
    from ui.client_list_panel import ClientListPanel
    from ui.client_page import ClientPage
    from ui.command_palette import CommandPalette
    from ui.exports import Exports
    from ui.import_flow import ImportFlow
    from ui.studio.studio_view import StudioView
    from ui.tray import Tray
    from ui.window_layout import WindowLayout

SECTIONS = ("Today", "Clients", "Studio")  # keys; the sidebar shows them translated


class MainWindow(QMainWindow):
    """Today and the clients, side by side with a sidebar; reminders run while it lives."""

    closed = Signal()  # closed for good, not just hidden in the tray

    def __init__(
        self,
        database_path: Path,
        now: Callable[[], datetime] = system_now,
        zone: ZoneInfo | None = None,
        notifier=None,
        parent=None,
        contents: bool = True,
    ):
        """The window on the open database; with `contents` False, only its frame (the
        sidebar, the menus, the status bar), which reads nothing: main.py paints it before
        the database opens, then calls build_contents()."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("Rapport"))
        self._now = now
        self.database_path = database_path
        self.backups: BackupService | None = None
        self.account_runs: AccountRuns | None = None  # the app's; tests bring their own
        self.log_folder: Path | None = None  # where main.py logs; Help names it
        self.read_only: str | None = None  # why the database can only be read
        self._layout: WindowLayout | None = None
        self._quitting = False
        self._shown_once = False
        self._closed_for_good = False
        self._built = False  # build_contents() has run
        # The Clients section (its list, filters and the search that fills them) is built
        # after the first paint, or when first needed: the window opens on Today.
        self._list_model: ClientListModel | None = None
        self._client_list: ClientListPanel | None = None
        self._clients_splitter: QSplitter | None = None
        self._page: ClientPage | None = None  # built when a client is first shown
        self.studio: StudioView | None = None  # built when first shown: start stays quick
        self.command_palette: CommandPalette | None = None
        # Import and export (and their file-format libraries) load when first used.
        self._import_flow: ImportFlow | None = None
        self._exports: Exports | None = None
        self.sections = QStackedWidget()
        for _section in SECTIONS:  # each built in its place: Today with the contents
            self.sections.addWidget(QWidget())
        self.sidebar = self._sidebar()
        self.sidebar.setCurrentRow(SECTIONS.index("Today"))
        self._column = QVBoxLayout()  # the section shown, and the undo bar below it
        self._column.setSpacing(0)
        self._column.addWidget(self.sections, 1)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.sidebar)
        layout.addLayout(self._column, 1)
        self.setCentralWidget(central)
        self._menus = [self.menuBar().addMenu(title) for title in self._menu_titles()]
        self.tray: Tray | None = None  # with the contents
        self._say_which_database()
        if contents:
            self.build_contents(zone, notifier)

    def _say_which_database(self) -> None:
        path = self.database_path
        self.statusBar().showMessage(self.tr("Database: {path}").format(path=path))

    def say_why_it_waits(self, after_crash: bool) -> None:
        """The frame says why it waits before the database opens: a check of every page
        after a crash, or an update of the database to this version of Rapport."""
        if after_crash:
            why = self.tr("Rapport did not quit properly last time: checking the database first…")
        else:
            why = self.tr("Updating the database for this version of Rapport…")
        self.statusBar().showMessage(why)
        self.repaint()  # now: the check or the update holds the event loop until done

    def build_contents(self, zone: ZoneInfo | None = None, notifier=None) -> None:
        """What shows and changes the open database: Today, the menus' actions, the undo
        bar, the tray and the reminders (started by start_reminders())."""
        from PySide6.QtWidgets import QLabel

        from models.store.database import wait_briefly_for_writes
        from scheduler.push_reminders import PushReminders
        from scheduler.reminder_wakeups import ReminderService
        from ui.changes import ChangeBus
        from ui.reminder_controller import ReminderController
        from ui.today_view import TodayView
        from ui.undo import UndoBar, UndoCommands

        wait_briefly_for_writes()  # a click that meets an import's lock is told, not frozen
        self._say_which_database()  # again, after what the frame said while it waited
        self.changes = ChangeBus(self)  # every write reports here; see _follow_change
        self.undo = UndoCommands(self._now, self, changes=self.changes)
        self.undo_bar = UndoBar(self.undo)
        self._column.addWidget(self.undo_bar)
        self.undo.restored.connect(self._after_undo)
        self.undo.undoing.connect(
            lambda what: self.statusBar().showMessage(self.tr("Undoing: {what}…").format(what=what))
        )
        self.undo.not_restored.connect(
            lambda why: self.statusBar().showMessage(self.tr("Not undone: {why}").format(why=why))
        )
        self.no_selection = QLabel(self.tr("Select a client on the left to see their history."))
        self.no_selection.setObjectName("emptyState")
        self.no_selection.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.right = QStackedWidget()
        self.right.addWidget(self.no_selection)
        self.today_view = TodayView()
        self._place_section("Today", self.today_view)
        self.tray = self._tray()
        self.reminder_service = ReminderService(zone, self._now, parent=self)
        self.push_reminders = PushReminders(self)
        self.push_reminders.failed.connect(lambda why: self.statusBar().showMessage(why, 15000))
        self.reminders = ReminderController(
            self.reminder_service,
            self.today_view,
            notifier,
            self._now,
            self.undo,
            parent=self,
            pusher=self.push_reminders,
        )
        self._build_actions()
        self._connect()
        self.today_view.print_cards_requested.connect(self.print_cards)
        self._guide_first_start()
        self._build_search_index_if_needed()
        self._built = True
        self._show_section(self.sidebar.currentRow())  # Today, or what was chosen meanwhile
        if self._layout is not None:
            self._layout.restore_section(self.sidebar)
        after_first_paint(self, self._build_clients_section_unless_closed)

    def _place_section(self, section: str, widget: QWidget) -> None:
        """Put a section built late in the place kept for it."""
        index = SECTIONS.index(section)
        placeholder = self.sections.widget(index)
        self.sections.insertWidget(index, widget)
        self.sections.removeWidget(placeholder)
        placeholder.deleteLater()

    def _build_search_index_if_needed(self) -> None:
        """A database from before the search index: built on a worker, the window usable."""
        from ui.search_index_build import SearchIndexBuild

        self.index_build = SearchIndexBuild(self)
        self._index_news: Callable[[ClientListPanel], None] | None = None
        self.index_build.progressed.connect(
            lambda percent: self._tell_list(lambda panel: panel.show_index_progress(percent))
        )
        self.index_build.failed.connect(
            lambda why: self._tell_list(lambda panel: panel.show_index_failure(why))
        )
        self.index_build.finished.connect(self._index_built)
        if self.index_build.start_if_needed():
            self._tell_list(lambda panel: panel.show_index_progress(0))

    def _tell_list(self, news: Callable[[ClientListPanel], None]) -> None:
        """How the search index build goes, said by the list: now, or once it is built."""
        self._index_news = news
        if self._client_list is not None:
            news(self._client_list)

    def _index_built(self) -> None:
        self._index_news = None  # a list built from now on searches with the whole index
        if self._client_list is not None:
            self._client_list.index_built()

    def _guide_first_start(self) -> None:
        """Today's first-start card: its steps open what they name."""
        card = self.today_view.first_start
        card.add_client_requested.connect(self.new_client)
        card.import_requested.connect(lambda: self.import_flow.choose_file())
        card.settings_requested.connect(self.open_settings)
        card.sample_requested.connect(self.load_sample_clients)
        card.refresh()

    def start_reminders(self) -> None:
        """Catch up on what fell due while Rapport was closed, then keep watching."""
        self.reminder_service.start()

    @property
    def list_model(self) -> ClientListModel:
        self.build_clients_section()
        return self._list_model

    @property
    def client_list(self) -> ClientListPanel:
        self.build_clients_section()
        return self._client_list

    @property
    def clients_splitter(self) -> QSplitter:
        self.build_clients_section()
        return self._clients_splitter

    def _build_clients_section_unless_closed(self) -> None:
        if not self._closed_for_good:  # closed before it was painted: its workers are done
            self.build_clients_section()

    def build_clients_section(self) -> None:
        """The client list beside the client's page, built once the window has been
        painted; whatever needs it before (the section shown, a client opened, Ctrl+F)
        builds it then. Its imports and its first search (every client's value rank, on a
        worker) would delay the first paint of Today."""
        if self._clients_splitter is not None:
            return
        from ui.client_list_model import ClientListModel
        from ui.client_list_panel import ClientListPanel

        self._list_model = ClientListModel(self._now, self._today, self)  # quits with it
        self._client_list = ClientListPanel(self._list_model, self._today)
        splitter = QSplitter()
        splitter.addWidget(self._client_list)
        splitter.addWidget(self.right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([320, 900])
        if self._layout is not None:
            self._layout.restore_splitter(splitter)
        self._clients_splitter = splitter
        self._connect_client_list()
        if self._index_news is not None:
            self._index_news(self._client_list)
        self._place_section("Clients", splitter)
        self._list_model.reload()  # the list selects its first client when it is in

    def _sidebar(self) -> QListWidget:
        sidebar = QListWidget()
        sidebar.setObjectName("sidebar")
        titles = {
            "Today": self.tr("Today"),
            "Clients": self.tr("Clients"),
            "Studio": self.tr("Studio"),
        }
        sidebar.addItems([titles[section] for section in SECTIONS])
        sidebar.setFixedWidth(150)
        sidebar.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        sidebar.currentRowChanged.connect(self._show_section)
        return sidebar

    def _tray(self) -> Tray | None:
        from PySide6.QtWidgets import QSystemTrayIcon

        from ui.tray import Tray

        if not QSystemTrayIcon.isSystemTrayAvailable():
            return None  # no tray here: Today and notifications still say everything
        tray = Tray(self.windowIcon() or QApplication.windowIcon(), self)
        tray.today_requested.connect(self.show_today)
        tray.quit_requested.connect(self.quit)
        tray.show()
        return tray

    def _today(self) -> date:
        return self._now().astimezone().date()

    def _menu_titles(self) -> tuple[str, ...]:
        return (
            self.tr("&File"),
            self.tr("&View"),
            self.tr("&Client"),
            self.tr("&Edit"),
            self.tr("&Help"),
        )

    def _build_actions(self) -> None:
        """The actions of the frame's menus."""
        file, view, client, edit, help_ = self._menus
        export = QMenu(self.tr("&Export"), self)
        made = {
            slot: self._action(menu, text, slot, shortcut)
            for menu, text, slot, shortcut in self._menu_table(
                file, export, view, client, edit, help_
            )
        }
        self.client_actions = client.actions()
        self.undo_action = made[self.undo.undo]
        self.palette_action = made[self.open_palette]

    def _menu_table(self, file, export, view, client, edit, help_) -> list[tuple]:
        """(menu, text, slot, shortcut) for each action of the menus, in order; a slot that
        is a menu makes a submenu, a text that is None a separator."""
        from PySide6.QtGui import QKeySequence

        from models.store.entities import FamilyMember, ImportantDate, Note

        on_page = self._on_page
        return [
            (file, self.tr("&New client…"), self.new_client, "Ctrl+N"),
            (file, self.tr("Load &sample clients"), self.load_sample_clients, None),
            (file, None, None, None),
            (file, self.tr("&Import…"), lambda: self.import_flow.choose_file(), "Ctrl+I"),
            (file, export.title(), export, None),
            (export, self.tr("All clients as &vCard…"), lambda: self.exports.vcards(), None),
            (
                export,
                self.tr("Birthdays and anniversaries as &calendar…"),
                lambda: self.exports.calendar(),
                None,
            ),
            (export, self.tr("&Everything (full archive)…"), lambda: self.exports.archive(), None),
            (file, self.tr("Check &database…"), self.check_database, None),
            (file, self.tr("&Print cards…"), lambda: self.print_cards(), "Ctrl+P"),
            (file, None, None, None),
            (file, self.tr("&Settings…"), lambda: self.open_settings(), "Ctrl+,"),
            (file, self.tr("&Accounts…"), self.open_accounts, None),
            (
                file,
                self.tr("Message &templates…"),
                self.open_templates,
                None,
            ),
            (file, None, None, None),
            (file, self.tr("&Quit"), self.quit, QKeySequence.StandardKey.Quit),
            (view, self.tr("&Today"), self.show_today, "Ctrl+1"),
            (view, self.tr("&Clients"), self.show_clients, "Ctrl+2"),
            (view, self.tr("&Studio"), self.show_studio, "Ctrl+3"),
            (
                client,
                self.tr("&Log interaction…"),
                on_page(lambda page: page.log_interaction()),
                "Ctrl+L",
            ),
            (client, self.tr("Add &note…"), on_page(lambda page: page.add(Note)), None),
            (
                client,
                self.tr("Add &family member…"),
                on_page(lambda page: page.add(FamilyMember)),
                None,
            ),
            (client, self.tr("Add &date…"), on_page(lambda page: page.add(ImportantDate)), None),
            (client, self.tr("&Edit client…"), self.edit_client, "Ctrl+E"),
            (client, self.tr("E&xport as vCard…"), self._export_current_client, None),
            (client, self.tr("De&lete client…"), self._delete_current_client, None),
            (edit, self.tr("&Undo"), self.undo.undo, QKeySequence.StandardKey.Undo),
            (edit, self.tr("&Find client"), self.focus_search, QKeySequence.StandardKey.Find),
            (edit, self.tr("Go to &anything…"), self.open_palette, "Ctrl+K"),
            (help_, self.tr("&Keyboard shortcuts"), self.show_shortcuts, "F1"),
            (help_, self.tr("&User guide"), self.show_user_guide, None),
            (help_, self.tr("Your &data, backups and log"), self.show_data_folders, None),
            (help_, None, None, None),
            (help_, self.tr("&About Rapport"), self.show_about, None),
        ]

    def open_templates(self) -> None:
        from ui.dialogs.templates_dialog import TemplatesDialog

        TemplatesDialog(parent=self).exec()

    def print_cards(self, chosen: list | None = None) -> None:
        """Cards on paper for the greetings chosen on Today (or all of next month)."""
        from ui.dialogs.print_cards_dialog import PrintCardsDialog

        if chosen is None:
            chosen = self.today_view.chosen_for_cards()
        zone = self.reminder_service.zone
        today = self._now().astimezone(zone).date()
        PrintCardsDialog(chosen, today, zone, self._now, self.undo, parent=self).exec()

    def show_shortcuts(self) -> None:
        from ui.dialogs.help_dialogs import shortcuts_dialog

        shortcuts_dialog(self.menuBar(), self).exec()

    def show_data_folders(self) -> None:
        """Where the data, the backups and the log are, with Open folder."""
        from ui.dialogs.help_dialogs import data_dialog

        backups = self.backups.folder if self.backups is not None else None
        data_dialog(self.database_path, backups, self.log_folder, self).exec()

    def show_about(self) -> None:
        """The version, and each bundled library's licence."""
        from ui.dialogs.help_dialogs import about_dialog

        about_dialog(self).exec()

    def show_user_guide(self) -> None:
        from ui.confirm import tell
        from ui.dialogs.help_dialogs import user_guide_dialog

        dialog = user_guide_dialog(self)
        if dialog is None:
            tell(self, self.tr("User guide"), self.tr("The user guide is not installed."))
            return
        dialog.exec()

    def _action(self, menu, text: str | None, slot, shortcut=None) -> QAction:
        from PySide6.QtGui import QAction, QKeySequence

        if text is None:
            return menu.addSeparator()
        if isinstance(slot, QMenu):
            return menu.addMenu(slot)
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _on_page(self, method: Callable[[ClientPage], None]) -> Callable[[], None]:
        return lambda: method(self.page) if self.shown_client else None

    @property
    def page(self) -> ClientPage:
        """The client's page, built the first time it is needed: the window opens on
        Today, and the page with its tabs and tables is the biggest part of the window."""
        if self._page is None:
            from ui.client_page import ClientPage

            self._page = ClientPage(
                today=self._today,
                now=self._now,
                value_ranks=self.list_model.value_ranks,
                undo=self.undo,
            )
            self.right.addWidget(self._page)
            self._page.header.copied.connect(
                lambda text: self.statusBar().showMessage(
                    self.tr("Copied {text}").format(text=text), 3000
                )
            )
            if self.read_only is not None:
                self._page_read_only()
        return self._page

    @property
    def shown_client(self) -> Client | None:
        """The client whose page shows (None before any page was built)."""
        return self._page.client if self._page is not None else None

    def _connect_client_list(self) -> None:
        self._client_list.client_selected.connect(self._client_selected)
        self._client_list.selection_cleared.connect(self._show_no_selection)
        self._client_list.not_listed.connect(self.show_client)  # shown all the same
        self._client_list.delete_requested.connect(self.delete_client)
        self._client_list.new_client_requested.connect(self.new_client)
        self._client_list.sample_requested.connect(self.load_sample_clients)

    def _connect(self) -> None:
        self.changes.changed.connect(self._follow_change)
        self.reminders.open_client.connect(self.open_client)
        self.reminders.show_today.connect(self.show_today)
        self.reminders.due_count_changed.connect(self._show_due_count)
        self.reminders.fallback_message.connect(self.show_message)

    @property
    def import_flow(self) -> ImportFlow:
        if self._import_flow is None:
            from ui.import_flow import ImportFlow

            self._import_flow = ImportFlow(self)
            self._import_flow.imported.connect(self._after_import)
        return self._import_flow

    @property
    def exports(self) -> Exports:
        if self._exports is None:
            from ui.exports import Exports

            backups = self.backups.every_backup if self.backups is not None else None
            self._exports = Exports(self, self._now, self.database_path, backups)
            self._exports.written.connect(lambda text: self.statusBar().showMessage(text, 10000))
        return self._exports

    def _follow_change(self, change: Change) -> None:
        """The one place a change is shown: whatever shows data follows it from here."""
        self.undo.follow(change)
        # The page first: the list's worker, started next, would compete with it for Python.
        if self.shown_client is not None and change.concerns(self.shown_client.id):
            self.show_client(self.shown_client.id)  # the stage, the sums; no page if deleted
        if self._list_model is not None:  # not built yet: its first search finds it all
            self._list_model.reload(data_changed=True, clients=change.client_ids)
        self.today_view.first_start.refresh()  # gone once the first client is in
        self.reminder_service.reconcile()  # Today, the tray count, the notifications
        if self.studio is not None and self.sections.currentWidget() is self.studio:
            self.studio.refresh()

    def _after_undo(self, client_id: int, what: str) -> None:
        self.statusBar().showMessage(self.tr("Undone: {what}").format(what=what), 10000)
        if self.shown_client is None or self.shown_client.id != client_id:
            self._select(client_id)  # their page shows them as they were

    def _after_import(self, outcome) -> None:
        from models.store.changes import all_clients_changed

        self.changes.report(all_clients_changed())
        if outcome.added:
            self._select(outcome.added[0])

    def _export_current_client(self) -> None:
        client = self.shown_client
        if client is not None:
            self.exports.vcards([client.id], client.full_name)

    def check_database(self) -> None:
        from models.store.changes import all_clients_changed
        from ui.database_check import DatabaseCheck  # loaded when first used

        check = DatabaseCheck(self)
        check.repaired.connect(lambda: self.changes.report(all_clients_changed()))
        check.run()

    def show_today(self) -> None:
        self.sidebar.setCurrentRow(SECTIONS.index("Today"))
        self._raise()

    def show_clients(self) -> None:
        self.sidebar.setCurrentRow(SECTIONS.index("Clients"))

    def show_studio(self) -> None:
        self.sidebar.setCurrentRow(SECTIONS.index("Studio"))

    def _show_section(self, row: int) -> None:
        if not self._built:  # the frame: build_contents() shows the section chosen
            return
        if SECTIONS[row] == "Clients":
            self.build_clients_section()
        if SECTIONS[row] == "Studio":
            self._studio().refresh()  # fresh figures at each visit, read on a worker thread
        self.sections.setCurrentIndex(row)

    def _studio(self) -> StudioView:
        if self.studio is None:
            from ui.studio.studio_view import StudioView  # imported when first shown

            self.studio = StudioView(self._today, zone=self.reminder_service.zone)
            self.studio.client_requested.connect(self.open_client)
            self._place_section("Studio", self.studio)
        return self.studio

    def open_palette(self) -> None:
        """Ctrl+K: type to jump to a client or run any action of the menus."""
        if self.command_palette is None:
            from models.clients.finder import first_found
            from ui.command_palette import MAX_CLIENTS, CommandPalette  # when first asked for

            actions = [
                action
                for menu in self.menuBar().actions()
                for action in menu.menu().actions()
                if not action.isSeparator()
                and action.menu() is None
                and action is not self.palette_action
            ]
            self.command_palette = CommandPalette(
                self, actions, lambda text: first_found(text, self._today(), MAX_CLIENTS)
            )
            self.command_palette.client_chosen.connect(self.open_client)
        self.command_palette.open()

    def open_client(self, client_id: int) -> None:
        """Show the client's page, whether or not the list shows them right now."""
        self.show_clients()
        self.show_client(client_id)
        self.client_list.select_client(client_id)
        self._raise()

    def bring_to_front(self) -> None:
        """Show the window, even from the tray, in front of the others."""
        self.showNormal()
        self.raise_()
        self.activateWindow()

    def import_file(self, path: Path) -> None:
        """`rapport FILE` ("Open with Rapport"): the window in front with FILE's import
        preview, as File → Import would show it."""
        self.bring_to_front()
        if self.read_only is not None:
            self.show_message(
                self.tr("Import not possible"),
                self.tr("This database is open for reading only: {file} was not imported.").format(
                    file=path.name
                ),
            )
            return
        self.import_flow.start(path)

    def _raise(self) -> None:
        """Come back from the tray or the task bar, but never before the first show."""
        if not self._shown_once:
            return
        if self.isMinimized() or not self.isVisible():
            self.showNormal()
        self.raise_()
        self.activateWindow()

    def showEvent(self, event) -> None:
        self._shown_once = True
        super().showEvent(event)

    def _show_due_count(self, count: int) -> None:
        today = self.tr("Today  {count}").format(count=count) if count else self.tr("Today")
        self.sidebar.item(SECTIONS.index("Today")).setText(today)
        if self.tray is not None:
            self.tray.set_count(count)

    def show_message(self, title: str, text: str) -> None:
        """Tell the owner something that needs no answer: status bar and tray."""
        self.statusBar().showMessage(f"{title}: {text}", 10000)
        if self.tray is not None:
            self.tray.showMessage(title, text)

    def remember_layout(self, layout: WindowLayout) -> None:
        """Come back as the owner left the window, and remember it again when closed. A
        frame (built without its contents) takes its place and size now, and the section
        the owner left with its contents."""
        self._layout = layout
        layout.restore_geometry(self)
        if self._built:
            layout.restore_section(self.sidebar)
        if self._clients_splitter is not None:
            layout.restore_splitter(self._clients_splitter)

    def _save_layout(self) -> None:
        """As it is; a frame (the database never opened) keeps the section as saved."""
        if self._layout is not None:
            sidebar = self.sidebar if self._built else None
            self._layout.save(self, self._clients_splitter, sidebar)

    def use_backups(self, service: BackupService) -> None:
        """Offer the backups in Settings (the app makes them; tests run without)."""
        self.backups = service

    def use_account_runs(self, runs: AccountRuns) -> None:
        """Sync with the owner's accounts: after changes, and its status in the status bar."""
        from ui.labels import plain_label

        self.account_runs = runs
        self.changes.changed.connect(runs.soon)
        runs.finished.connect(self._follow_sync)
        self.sync_status = plain_label()
        self.statusBar().addPermanentWidget(self.sync_status)
        runs.status.connect(self._show_sync_status)
        runs.progress.connect(
            lambda done, total: self._show_sync_status(
                self.tr("Syncing… {done} of {total}").format(done=done, total=total)
            )
        )

    def _follow_sync(self, results: list) -> None:
        """What a sync changed here (a follow-up done on the phone) shows like any change."""
        for result in results:
            if result.report is not None and result.report.changed is not None:
                self.changes.report(result.report.changed)

    def _show_sync_status(self, line: str) -> None:
        from ui.formatting import plain_tooltip

        self.sync_status.setText(line if len(line) <= 80 else line[:79] + "…")
        self.sync_status.setToolTip(plain_tooltip(line))

    def open_accounts(self) -> None:
        from scheduler.account_runs import AccountRuns
        from ui.dialogs.accounts_dialog import AccountsDialog

        if self.account_runs is None:
            self.account_runs = AccountRuns(self._now, self)
        AccountsDialog(self.account_runs, self._now, self).exec()

    def open_settings(self, field: str = "") -> None:
        """Settings, starting in `field` ("your_name") when a first-start step asks."""
        from models.store.changes import settings_changed
        from ui.dialogs.backups_box import BackupsBox
        from ui.dialogs.settings_dialog import SettingsDialog

        box, folder = None, None
        if self.backups is not None:
            folder = self.backups.every_backup
            box = BackupsBox(self.backups.folder, self.backups.back_up_now, self.restore)
        settings = SettingsDialog(
            box, field, parent=self, backups_folder=folder, open_accounts=self.open_accounts
        )
        if settings.exec():
            self.changes.report(settings_changed())
            self.apply_appearance()

    def apply_appearance(self) -> None:
        """The owner's appearance, from the database: applied, and remembered with the
        window's layout for the next start's first paint (which comes before the database)."""
        from models.store.settings import get_setting
        from ui.style import set_appearance

        appearance = get_setting("appearance")
        set_appearance(appearance)
        if self._layout is not None:
            self._layout.remember_appearance(appearance)

    def restore(self, backup: Backup) -> None:
        """Put a backup's data in place (the current data backed up first, or, when it is
        damaged, set aside beside it) and show it."""
        from models.store.backups import BackupError, DatabaseDamaged, restore_backup
        from models.store.changes import everything_changed
        from models.store.database import DatabaseOpenError
        from models.store.migrations import reopen_with_backup
        from ui.confirm import tell

        try:
            try:
                restore_backup(backup.path, self.database_path, backup.path.parent, self._now())
            except DatabaseDamaged:
                reopen_with_backup(self.database_path, backup, self._now())
        except (BackupError, DatabaseOpenError) as error:
            tell(self, self.tr("Restore failed"), str(error))
            return
        self._show_no_selection()
        self.apply_appearance()  # the backup's
        self.changes.report(everything_changed())
        self.statusBar().showMessage(
            self.tr("Restored the backup of {name}.").format(name=backup.path.name), 10000
        )

    def quit(self) -> None:
        self._quitting = True
        self.close()

    def _explain_the_tray_once(self) -> None:
        """The first time the window closes to the tray, say that Rapport still runs there
        and how to quit; once, remembered with the other settings."""
        from PySide6.QtGui import QKeySequence

        from models.store.settings import is_on, set_on

        if is_on("told_about_tray"):
            return
        set_on("told_about_tray", True)
        quit_keys = QKeySequence(QKeySequence.StandardKey.Quit).toString(
            QKeySequence.SequenceFormat.NativeText
        )
        self.show_message(
            self.tr("Rapport is still running"),
            self.tr(
                "It keeps reminding you from the tray. To quit, choose Quit Rapport in the "
                "tray icon's menu, or File → Quit ({keys})."
            ).format(keys=quit_keys),
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        self._save_layout()  # hidden in the tray or gone: either way, as it was
        if not self._built:  # the database never opened: nothing runs, nothing to stop
            self._close_for_good(event)
            return
        from models.store.settings import is_on

        if self.tray is not None and is_on("close_to_tray") and not self._quitting:
            self.hide()  # reminders keep running in the tray
            self._explain_the_tray_once()
            event.ignore()
            return
        self.reminder_service.stop()
        self.push_reminders.stop()
        self.index_build.stop()  # quitting waits for the chunk being written, not the build
        for flow in (self._import_flow, self._exports):
            if flow is not None:
                flow.work.stop()
        if self.tray is not None:
            self.tray.hide()
        self._close_for_good(event)

    def _close_for_good(self, event: QCloseEvent) -> None:
        from background.database_worker import finish_all_workers

        # Every worker (searches, the Studio's figures, the calendar file) finishes what it
        # reads or writes before the database closes.
        finish_all_workers()
        self._run_nothing_more()
        super().closeEvent(event)
        self._closed_for_good = True
        # Gone from the screen before what `closed` starts: the backup at quit copies a big
        # studio's database in the foreground (5 s at XL), behind a window that looked hung.
        self.hide()
        self.closed.emit()

    def _run_nothing_more(self) -> None:
        """Closed for good, the window does nothing more: the database closes next, and
        what is still due would read from it (Today's rows built a few at a turn read the
        clients' photos; a worker's report refreshes a view)."""
        from background.database_worker import JobReports

        for timer in self.findChildren(QTimer):
            timer.stop()
        for reports in self.findChildren(JobReports):
            QCoreApplication.removePostedEvents(reports, QEvent.Type.MetaCall)

    def _client_selected(self, client_id: int) -> None:
        # A list that reloads selects the current client again: nothing new to show.
        shown = self.shown_client
        if shown is not None and self.right.currentWidget() is self._page and shown.id == client_id:
            return
        self.show_client(client_id)

    def show_client(self, client_id: int) -> None:
        from models.store.entities import Client

        client = Client.get_or_none(Client.id == client_id)
        if client is None:
            self._show_no_selection()
            return
        self.page.show_client(client)
        self.right.setCurrentWidget(self.page)
        self._enable_client_actions(True)

    def _show_no_selection(self) -> None:
        if self._page is not None:
            self._page.client = None
        self.right.setCurrentWidget(self.no_selection)
        self._enable_client_actions(False)

    def _enable_client_actions(self, enabled: bool) -> None:
        exporting = self.tr("E&xport as vCard…")
        for action in self.client_actions:
            action.setEnabled(enabled and (self.read_only is None or action.text() == exporting))

    def open_read_only(self, reason: str) -> None:
        """The database can only be read: say so in the title and a bar, and offer no way
        to change it, rather than failing at the first save."""
        from PySide6.QtGui import QAction
        from PySide6.QtWidgets import QLabel

        self.read_only = reason
        self.setWindowTitle(self.tr("Rapport (read-only)"))
        bar = self.addToolBar(self.tr("Read-only"))
        bar.setObjectName("readOnlyBar")
        bar.setMovable(False)
        label = QLabel(
            self.tr(
                "Opened for reading only ({reason}): you can look, search and export; "
                "nothing can be changed."
            ).format(reason=reason)
        )
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setContentsMargins(8, 4, 8, 4)
        bar.addWidget(label)
        changes = {
            self.tr("&New client…"),
            self.tr("Load &sample clients"),
            self.tr("&Import…"),
            self.tr("&Settings…"),
            self.tr("Message &templates…"),
            self.tr("&Undo"),
        }
        for action in self.findChildren(QAction):
            if action.text() in changes:
                action.setEnabled(False)
        if self._page is not None:
            self._page_read_only()
        self._enable_client_actions(self.shown_client is not None)

    def _page_read_only(self) -> None:
        for button in self.page.findChildren(QPushButton):  # log, write, add
            button.setEnabled(False)
        self.page.setAcceptDrops(False)  # a photo dropped on the page

    def _select(self, client_id: int) -> None:
        self.show_client(client_id)  # at once; the list selects them when it has them
        self.client_list.select_client(client_id)

    def focus_search(self) -> None:
        self.show_clients()
        self.client_list.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.client_list.search.selectAll()

    def new_client(self) -> None:
        from models.store.changes import client_change
        from ui.dialogs.client_dialog import ClientDialog

        dialog = ClientDialog(parent=self, now=self._now, today=self._today())
        if dialog.exec():
            self.changes.report(client_change(dialog.saved.id))
            self._select(dialog.saved.id)
            self.show_clients()

    def edit_client(self) -> None:
        from ui.dialogs.client_dialog import ClientDialog

        client = self.shown_client
        if client is None:
            return
        dialog = ClientDialog(client, parent=self, now=self._now, today=self._today())
        edited = self.tr("Edited {name}").format(name=client.full_name)
        with self.undo.changing(client.id, edited) as changing:
            changing.made = bool(dialog.exec())

    def _delete_current_client(self) -> None:
        if self.shown_client is not None:
            self.delete_client(self.shown_client.id)

    def delete_client(self, client_id: int) -> None:
        from models.clients.saving import delete_client
        from models.store.entities import Client
        from models.sync.state import delete_card_too, has_card
        from ui.card_sync_bar import confirm_delete_with_card
        from ui.confirm import confirm_delete

        client = Client.get_or_none(Client.id == client_id)
        consequence = self.tr(
            "Their history, notes, family and dates are deleted too (Ctrl+Z brings them "
            "back for ten minutes)."
        )
        if client is None:
            return
        if has_card(client_id):
            card_too = confirm_delete_with_card(self, client.full_name, consequence)
            if card_too is None:
                return
        elif confirm_delete(self, client.full_name, consequence):
            card_too = False
        else:
            return
        with self.undo.changing(client_id, self.tr("Deleted {name}").format(name=client.full_name)):
            if card_too:
                delete_card_too(client_id)
            delete_client(client_id)

    def load_sample_clients(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        from models.sample.loading import load_sample_clients
        from models.store.changes import all_clients_changed
        from ui.confirm import tell

        try:
            count = load_sample_clients(self._today())
        except ValueError as error:
            tell(self, self.tr("Sample clients"), str(error), QMessageBox.Icon.Information)
            return
        self.statusBar().showMessage(self.tr("Loaded %n sample clients.", "", count), 5000)
        self.changes.report(all_clients_changed())
