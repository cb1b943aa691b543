"""収納 at the counter: the payment dialog (amount due, method, amount, お預かり and お釣り), the
preview of the receipt it prints, and the permit's preview.

The dialog records the payment through :func:`center_app.services.ledger.record_payment` on the
background runner; a refusal (already paid, 0 円, an amount above what is due, a closed day, …)
is shown in a message area of fixed height (the rows above never move or shrink), which keeps
what was typed; changing the amount, the method or お預かり takes the refusal away. Once recorded, the receipt — the 使用許可書兼
領収書 when the bookings have no permit yet — opens in a preview to print or save; printed again
later it is marked 再発行.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from center_app.domain.wareki import format_day
from center_app.domain.money import BookingMoney, PaymentMethod, PaymentView, change_due, method_label, parse_yen
from center_app.i18n import _
from center_app.services import bookings, documents, ledger
from center_app.services.documents import NumberedDocument
from center_app.services.ledger_refunds import RefundRule
from center_app.ui.pdf_output import PdfPreview, preview_images, print_pdf, save_pdf
from center_app.ui.state import AppState
from center_app.ui.widgets import ERROR_STYLE, MessageArea, fit_to_screen, show_error


class DocumentPreview(QDialog):
    """A permit or receipt as rendered (each render is a recorded print): pages, print, save."""

    def __init__(self, state: AppState, title: str, load: Callable[[], NumberedDocument], parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.document: NumberedDocument | None = None
        self.setWindowTitle(title)
        fit_to_screen(self, 820, 900)  # within a 1366×768 screen: the buttons stay reachable
        layout = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setObjectName("document_heading")
        layout.addWidget(self.heading)
        self.preview = PdfPreview()
        layout.addWidget(self.preview, 1)
        buttons = QHBoxLayout()
        self.print_button = QPushButton(_("&Print…"))
        self.save_button = QPushButton(_("&Save as PDF…"))
        close = QPushButton(_("Close"))
        buttons.addStretch(1)
        for button in (self.print_button, self.save_button, close):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.print_button.clicked.connect(lambda: self.document and print_pdf(self, self.document.pdf, self.windowTitle()))
        self.save_button.clicked.connect(lambda: self.document and save_pdf(self, self.document.pdf, f"{self.document.number}.pdf"))
        close.clicked.connect(self.accept)
        state.runner.submit(lambda: self._render(load()), on_done=self._show, on_error=lambda e: show_error(self, e))

    @staticmethod
    def _render(document: NumberedDocument):
        return document, preview_images(document.pdf)

    def _show(self, result) -> None:
        document, (images, total) = result
        self.document = document
        mark = _(" (reissued)") if document.reissue else ""
        self.heading.setText(f"{document.number}{mark}")
        self.preview.show_pages(images, total)


def open_permit(state: AppState, booking_ids: Sequence[int], parent: QWidget | None = None) -> DocumentPreview:
    """Print the 使用許可書 of ``booking_ids`` (numbered on the first print) in a preview."""
    preview = DocumentPreview(state, _("Use permit"), lambda: documents.permit_pdf(state.ctx, list(booking_ids)), parent)
    preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    preview.show()
    return preview


def open_receipt(state: AppState, receipt_no: str, *, original: bool = False, parent: QWidget | None = None) -> DocumentPreview:
    """The 領収書 of ``receipt_no`` in a preview: the original right after the payment (with the
    permit when the bookings have none yet), otherwise a 再発行."""
    preview = DocumentPreview(
        state, _("Receipt"), lambda: documents.receipt_pdf(state.ctx, receipt_no, original=original, with_permit=original), parent)
    preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    preview.show()
    return preview


def refund_question(slip: str, rule: RefundRule) -> str:
    """The refund box's question: how much the rules refund of booking ``slip`` and why
    (「取消理由「市・センターの都合」（還付 100%）により 400 円を還付します。」)."""
    if rule.rate is None:
        head = _("The rules refund {amount} yen of {slip}.").format(amount=f"{rule.amount:,}", slip=slip)
    else:
        head = _("The cancellation reason 「{name}」 (refund {rate}%) refunds {amount} yen of {slip}.").format(
            name=rule.reason_name, rate=rule.rate, amount=f"{rule.amount:,}", slip=slip)
    return head + "\n" + _("Reason for the refund:")


def open_refund_box(parent: QWidget, slip: str, rule: RefundRule, reason: str, on_reason: Callable[[str], None]) -> QInputDialog:
    """The refund box (window modal, not blocking): the amount and 還付率 the rules give for
    booking ``slip``, and the refund's reason, filled with ``reason``; 「OK」 calls ``on_reason``
    with what is typed."""
    box = QInputDialog(parent)
    box.setWindowTitle(_("Refund"))
    box.setLabelText(refund_question(slip, rule))
    box.setTextValue(reason)
    box.setOkButtonText(_("Refund"))
    box.setCancelButtonText(_("Cancel"))
    box.setObjectName("refund_box")
    box.textValueSelected.connect(on_reason)
    box.open()
    return box


def _due_of(ctx, booking_ids: Sequence[int]):
    views = [bookings.get_booking(ctx, booking_id) for booking_id in booking_ids]
    return views, ledger.booking_money(ctx, booking_ids)


class PaymentDialog(QDialog):
    """収納 of one or more bookings of one applicant: shows what is due, takes the method and the
    amount (and お預かり for cash, with the お釣り), records the payment, opens the receipt."""

    paid = Signal(object)  # the PaymentView

    def __init__(self, state: AppState, booking_ids: Sequence[int], parent: QWidget | None = None, *, open_receipt_after: bool = True):
        super().__init__(parent)
        self.state, self.booking_ids = state, list(booking_ids)
        self.open_receipt_after = open_receipt_after
        self.due = 0
        self.payment: PaymentView | None = None
        self.setWindowTitle(_("Receive payment"))
        self.setMinimumWidth(440)  # a refusal reads on one or two lines
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setObjectName("payment_summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        form = QFormLayout()
        self.due_label = QLabel()
        self.due_label.setObjectName("amount_due")
        self.due_label.setStyleSheet("font-size: 16px; font-weight: bold;")
        form.addRow(_("Amount due"), self.due_label)
        self.method = QComboBox()
        self.method.setObjectName("payment_method")
        for method in PaymentMethod:
            self.method.addItem(method_label(method), method.value)
        form.addRow(_("Payment method"), self.method)
        self.amount = QLineEdit()
        self.amount.setObjectName("payment_amount")
        form.addRow(_("Amount (yen)"), self.amount)
        self.tendered = QLineEdit()
        self.tendered.setObjectName("tendered")
        self.tendered_label = QLabel(_("Cash handed over (お預かり)"))
        form.addRow(self.tendered_label, self.tendered)
        self.change = QLabel()
        self.change.setObjectName("change")
        self.change.setStyleSheet("font-size: 16px;")
        self.change_label = QLabel(_("Change (お釣り)"))
        form.addRow(self.change_label, self.change)
        layout.addLayout(form)
        self.messages = MessageArea(3)  # room for a refusal from the start: the rows are never squeezed
        self.error = self.messages.add(QLabel())
        self.error.setObjectName("payment_error")
        self.error.setStyleSheet(ERROR_STYLE)
        self.refused = False  # the error shown is the refusal of what was typed
        layout.addWidget(self.messages)
        buttons = QHBoxLayout()
        self.record_button = QPushButton(_("Record and print the receipt"))
        self.record_button.setObjectName("record_payment")
        self.record_button.setDefault(True)
        close = QPushButton(_("Close"))
        buttons.addStretch(1)
        buttons.addWidget(self.record_button)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.record_button.clicked.connect(self.submit)
        close.clicked.connect(self.reject)
        self.method.currentIndexChanged.connect(lambda _i: self._edited())
        self.amount.textChanged.connect(lambda _t: self._edited())
        self.tendered.textChanged.connect(lambda _t: self._edited())
        self.record_button.setEnabled(False)
        state.runner.submit(_due_of, state.ctx, self.booking_ids, on_done=self._loaded, on_error=self._failed)

    def _loaded(self, result) -> None:
        views, money = result
        money: dict[int, BookingMoney]
        self.due = sum(m.outstanding for m in money.values())
        lines = [
            _("{slip} {date} {time} {room}: {state}, {left} yen due").format(
                slip=v.slip_no, date=format_day(v.day), time=v.time_label, room=v.room_name, state=money[v.id].label,
                left=f"{money[v.id].outstanding:,}")
            for v in views
        ]
        self.summary.setText("\n".join([views[0].applicant_name if views else "", *lines]))
        self.due_label.setText(_("{amount} yen").format(amount=f"{self.due:,}"))
        self.amount.setText(str(self.due) if self.due else "")
        self.record_button.setEnabled(self.due > 0)
        if self.due <= 0:
            self.error.setText(_("Nothing is due for these bookings."))
        self._update_change()

    def _edited(self) -> None:
        """The clerk changed what was refused: the refusal no longer applies."""
        if self.refused:
            self.refused = False
            self.error.clear()
        self._update_change()

    def _update_change(self) -> None:
        cash = self.method.currentData() == PaymentMethod.CASH.value
        for widget in (self.tendered, self.tendered_label, self.change, self.change_label):
            widget.setVisible(cash)
        if not cash or not self.tendered.text().strip():
            self.change.setText("")
            return
        try:
            amount, given = parse_yen(self.amount.text() or "0"), parse_yen(self.tendered.text())
            if not 0 < amount <= self.due:
                raise ValueError("an amount the ledger refuses")  # no change is counted out for it
            self.change.setText(_("{amount} yen").format(amount=f"{change_due(amount, given):,}"))
        except ValueError:
            self.change.setText("—")

    def submit(self) -> None:
        """Record the payment in the background; on a refusal keep what was typed."""
        self.error.clear()
        self.record_button.setEnabled(False)
        cash = self.method.currentData() == PaymentMethod.CASH.value
        self.state.runner.submit(
            ledger.record_payment, self.state.ctx, self.booking_ids, self.method.currentData(), self.amount.text(),
            tendered=self.tendered.text() if cash else None, on_done=self._recorded, on_error=self._failed,
        )

    def _failed(self, error: BaseException) -> None:
        self.record_button.setEnabled(self.due > 0)
        from center_app.domain.errors import CenterError

        if isinstance(error, CenterError):
            self.error.setText(str(error))
            self.refused = True
            self._focus_at_fault(error)
        else:
            show_error(self, error)

    def _focus_at_fault(self, error: BaseException) -> None:
        """After a refusal: the focus on the amount or お預かり refused (all selected, to type anew),
        else on the record button — never on 閉じる, where the next Enter would close the dialog."""
        from center_app.domain.errors import ValidationError

        fields = {"amount": self.amount, "tendered": self.tendered}
        names = [p.field for p in error.problems] if isinstance(error, ValidationError) else []
        for widget in (fields[name] for name in names if name in fields):
            if widget.isVisibleTo(self):
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
                widget.selectAll()
                return
        if self.record_button.isEnabled():
            self.record_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _recorded(self, payment: PaymentView) -> None:
        self.payment = payment
        self.paid.emit(payment)
        if self.open_receipt_after:
            open_receipt(self.state, payment.receipt_no, original=True, parent=self.parentWidget())
        self.accept()
