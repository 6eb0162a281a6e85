"""Reading PDFs back in the document tests: text, tables, attachments, every decoded stream."""

from __future__ import annotations

import logging
import re
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from io import BytesIO

import pdfplumber
from pypdf import PdfReader
from pypdf.generic import IndirectObject, StreamObject

from finance.models import AnnexTable
from finance.templatetags.finance_figures import figure

# pdfminer and pypdf log every font oddity; the tests read their results, not their logs.
logging.getLogger("pdfminer").setLevel(logging.ERROR)


def squash(text: str | None) -> str:
    """Text compared without white space: a label wrapped over two lines is the same label."""
    return re.sub(r"\s+", "", text or "")


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(BytesIO(pdf)).pages]


def attachments(pdf: bytes) -> dict[str, bytes]:
    return {name: data[0] for name, data in PdfReader(BytesIO(pdf)).attachments.items()}


def decoded_streams(pdf: bytes) -> Iterator[bytes]:
    """Every stream of the file, decompressed: nothing can hide in a compressed stream."""
    reader = PdfReader(BytesIO(pdf))
    for number in range(1, int(reader.trailer["/Size"])):
        try:
            obj = reader.get_object(IndirectObject(number, 0, reader))
        except Exception:  # noqa: S112 - free or missing object numbers
            continue
        if isinstance(obj, StreamObject):
            yield obj.get_data()


def table_rows(pdf: bytes) -> list[list[str]]:
    """Every row of every table pdfplumber finds (the tables have ruled cells), in page order,
    each cell without white space."""
    rows = []
    with pdfplumber.open(BytesIO(pdf)) as document:
        for page in document.pages:
            for table in page.extract_tables():
                rows.extend([squash(cell) for cell in row] for row in table)
    return rows


@dataclass
class StoredTable:
    title: str
    columns: list[str]
    rows: list[tuple[str, str, list[str | None]]]  # section, label, cells

    @classmethod
    def of(cls, table: AnnexTable) -> StoredTable:
        return cls(
            title=table.title,
            columns=list(table.columns),
            rows=[(r.section, r.label, list(r.cells)) for r in table.rows.order_by("position")],
        )

    def printed_rows(self) -> list[list[str]]:
        """Each row as the PDF prints it: the label, then each figure with its thousands
        separated ("" when empty)."""
        return [
            [squash(label)] + [squash(figure(c)) for c in cells] for _, label, cells in self.rows
        ]


@dataclass
class Listener:
    """A TCP socket on 127.0.0.1 that records every connection made to it."""

    port: int
    connections: list[tuple[str, int]] = field(default_factory=list)


@contextmanager
def listening_socket() -> Iterator[Listener]:
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.1)
    listener = Listener(port=server.getsockname()[1])
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, address = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            listener.connections.append(address)
            connection.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener
    finally:
        stop.set()
        thread.join(timeout=2)
        server.close()
