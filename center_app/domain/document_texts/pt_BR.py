"""Document wording in Brazilian Portuguese (Português do Brasil)."""

NAME = 'Português (Brasil)'
BABEL_LOCALE = 'pt_BR'

#: The booking slip (予約票).
SLIP = {
    'title': 'Comprovante de Reserva',
    'title_provisional': 'Comprovante de Reserva (provisória)',
    'subtitle': 'Comprovante de reserva',
    'slip_no': 'Nº da reserva',
    'issued': 'Emitido em',
    'applicant': 'Solicitante',
    'registration_no': 'Nº de registro',
    'applicant_class': 'Categoria',
    'facility': 'Local',
    'room': 'Sala',
    'date': 'Data de uso',
    'time': 'Horário',
    'people': 'Nº previsto de pessoas',
    'people_value': '{count}',
    'purpose': 'Finalidade',
    'fee_heading': 'Valores',
    'gross': 'Taxa de uso',
    'exemption': 'Redução da taxa',
    'exemption_value': '{name} ({rate}%)',
    'waived': 'Valor dispensado',
    'fee': 'Valor a pagar',
    'none': 'Nenhuma',
    'money': 'Pagamento',
    'money_paid': 'Pago (recibo {receipts})',
    'money_due': 'Em aberto {amount} (pagar até {date})',
    'money_partly': 'Pago em parte, faltam {amount} (pagar até {date})',
    'money_exempt': 'Taxa totalmente dispensada',
    'money_legacy': 'Sem registro (reserva anterior ao registro de pagamentos)',
    'statement': 'Recebemos a sua reserva conforme acima.',
    'statement_paid': 'Recebemos a sua reserva conforme acima. A taxa está paga.',
    'statement_due': 'Recebemos a sua reserva conforme acima. Pague a taxa no balcão até a data indicada; o recibo é entregue no pagamento.',
    'statement_exempt': 'Recebemos a sua reserva conforme acima. A taxa foi totalmente dispensada.',
    'statement_provisional': 'Esta é uma reserva provisória. Ela será confirmada e valerá como autorização de uso após o pagamento da taxa.',
    'statement_cancelled': 'Esta reserva foi cancelada ({reason}).',
    'statement_no_show': 'Esta reserva foi registrada como não comparecimento.',
    'rules_heading': 'Condições de uso',
    'clerk': 'Atendente',
    'tel': 'Tel.',
}

#: The use permit (使用許可書), the receipt (領収書) and both in one.
PERMIT = {
    'permit': 'Autorização de Uso de Sala',
    'receipt': 'Recibo',
    'both': 'Autorização de Uso de Sala e Recibo',
    'permit_no': 'Nº da autorização',
    'receipt_no': 'Nº do recibo',
    'issued': 'Emitido em',
    'received': 'Recebido em',
    'reissue': 'SEGUNDA VIA',
    'voided': 'CANCELADO (este recibo não é válido)',
    'honorific': '{name}',
    'registration_no': 'Nº de registro',
    'address': 'Endereço',
    'representative': 'Representante',
    'applicant_class': 'Categoria',
    'grant': 'Autorizamos o uso das instalações abaixo.',
    'col_date': 'Data e horário',
    'col_room': 'Local / sala',
    'col_people': 'Pessoas',
    'col_purpose': 'Finalidade',
    'col_fee': 'Taxa',
    'people_value': '{count}',
    'gross': 'Taxa antes da redução',
    'exemption': 'Redução da taxa',
    'exemption_value': '{name} ({rate}%)',
    'waived': 'Valor dispensado',
    'fee': 'Taxa',
    'paid': 'Pago',
    'status': 'Pagamento',
    'status_paid': 'Pago',
    'status_due': 'Em aberto {amount}, pagar até {date}',
    'status_due_no_date': 'Em aberto {amount}',
    'exempt': 'Taxa totalmente dispensada (減免により使用料は免除)',
    'conditions': 'Condições de uso',
    'amount': '{amount}',
    'proviso': 'Referente a: {text}',
    'receipt_statement': 'Declaramos ter recebido o valor acima.',
    'both_statement': 'Autorizamos o uso das instalações acima e declaramos o recebimento da taxa.',
    'method': 'Forma de pagamento',
    'paid_for': 'Reservas pagas',
    'seal_omitted': 'Selo oficial dispensado (公印省略)',
    'clerk': 'Atendente',
    'tel': 'Tel.',
    'yen': '{amount}',
}

#: Payment methods (codes of ``domain.money.PaymentMethod``).
METHODS = {
    'cash': 'Dinheiro',
    'transfer': 'Transferência bancária',
    'invoice': 'Boleto de pagamento',
    'cashless': 'Pagamento sem dinheiro',
}

#: Applicant classes of the default configuration (resources/seed/default_center.json).
APPLICANT_CLASSES = {
    'registered': 'Grupo registrado',
    'resident': 'Morador da cidade',
    'non_resident': 'De fora da cidade',
}

#: A flyer's block in this language under the Japanese text.
FLYER = {
    'heading': 'Português',
    'when': 'Data',
    'where': 'Local',
    'fee': 'Taxa',
    'capacity': 'Vagas',
    'apply': 'Inscrição',
    'contact': 'Contato',
    'free': 'Gratuito',
    'yen': '{amount} ienes',
    'people': '{count} pessoas',
    'details': 'Os detalhes estão em japonês acima. Em caso de dúvida, entre em contato.',
}
