"""Assembling the approvers' preview from its rendered parts: merge the parts' pages, stamp every
page with the running header and "Page x of y", attach the tables as CSV files, and finish the
file as PDF/A-3b. (The published and signed packs and Part 2 are tagged, so each is rendered in
one pass instead: documents.content, documents.tagging.)

The stamp goes on after assembly, so a cached part's pages never carry a page number of their
own and stay valid in any pack. It is rendered by the same engine (its font embedded, as PDF/A
needs) as one empty page per page of the pack, and each of its pages is laid over the matching
page as a form XObject: nothing in the parts' content streams is parsed or rewritten, which keeps
stamping a few milliseconds per page.

What survives pypdf's merge is checked rather than assumed: the parts' XMP metadata and output
intent live in their catalogs, which a merge does not copy, so the pack gets its own XMP
(pdfaid part 3, conformance B, matching the document information dictionary) and the sRGB
output intent copied from a part; the CSV files are attached as PDF/A-3 associated files
(AFRelationship /Data, MIME subtype, size, checksum and date, listed in the catalog's /AF).
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from io import BytesIO
from typing import Any, cast
from xml.sax.saxutils import escape

import pypdf
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from documents import engine, seal
from documents.html import PageSizes

AUTHOR = "Mayor's Office for Policing and Crime"
CREATOR = "Police and crime decisions"
PRODUCER = f"{engine.ENGINE}; pypdf {pypdf.__version__}"


@dataclass(frozen=True)
class PackInfo:
    title: str
    created: datetime.datetime
    # Seeds the file identifier, so the same content gives the same bytes.
    identifier: str
    language: str = "en-GB"
    # Room for the seal (documents.seal), filled once the file is written.
    sealed: bool = False


@dataclass
class Assembled:
    pdf: bytes
    pages: int


def _pdf_date(moment: datetime.datetime) -> str:
    utc = moment.astimezone(datetime.UTC)
    return utc.strftime("D:%Y%m%d%H%M%S+00'00'")


def _xmp_date(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def xmp_packet(info: PackInfo) -> bytes:
    """XMP for PDF/A-3b. Every property here has its twin in the information dictionary, with
    the same value, as ISO 19005 requires."""
    created, title = _xmp_date(info.created), escape(info.title)
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/">
   <pdfaid:part>3</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{escape(AUTHOR)}</rdf:li></rdf:Seq></dc:creator>
   <dc:language><rdf:Bag><rdf:li>{escape(info.language)}</rdf:li></rdf:Bag></dc:language>
   <pdf:Producer>{escape(PRODUCER)}</pdf:Producer>
   <xmp:CreatorTool>{escape(CREATOR)}</xmp:CreatorTool>
   <xmp:CreateDate>{created}</xmp:CreateDate>
   <xmp:ModifyDate>{created}</xmp:ModifyDate>
   <xmp:MetadataDate>{created}</xmp:MetadataDate>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>""".encode()


def _page_sizes(pages: Sequence[PageObject]) -> PageSizes:
    return PageSizes(
        [(round(float(p.mediabox.width), 3), round(float(p.mediabox.height), 3)) for p in pages]
    )


def _stamp_pages(writer: PdfWriter, stamp: Callable[[PageSizes], bytes]) -> None:
    """Lay one page of the stamp over each page, as a form XObject drawn last."""
    overlay = PdfReader(BytesIO(stamp(_page_sizes(writer.pages))))
    if len(overlay.pages) != len(writer.pages):
        raise ValueError(
            f"The page stamp has {len(overlay.pages)} pages for a pack of {len(writer.pages)}."
        )
    cloned: dict[int, Any] = {}
    push = writer._add_object(_stream(b"q\n"))
    pop = writer._add_object(_stream(b"Q\n"))
    for page, stamp_page in zip(writer.pages, overlay.pages, strict=True):
        resources = cast(DictionaryObject, stamp_page["/Resources"].get_object())
        # WeasyPrint shares one resource dictionary between all the pages of a document: clone it
        # into the pack once, not once per page.
        if id(resources) not in cloned:
            copy = resources.clone(writer)
            cloned[id(resources)] = copy.indirect_reference or writer._add_object(copy)
        content = stamp_page.get_contents()
        form = _stream(content.get_data() if content is not None else b"")
        form.update(
            {
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Form"),
                NameObject("/BBox"): ArrayObject(stamp_page.mediabox),
                NameObject("/Resources"): cloned[id(resources)],
            }
        )
        form_ref = writer._add_object(form.flate_encode())
        # The parts' pages share their resource dictionary too: give each page its own shallow
        # copy, so that its stamp's name is its own.
        own = DictionaryObject(cast(DictionaryObject, page["/Resources"].get_object()))
        xobjects = DictionaryObject(
            cast(DictionaryObject, own.get("/XObject", DictionaryObject()).get_object())
        )
        xobjects[NameObject("/PcdStamp")] = form_ref
        own[NameObject("/XObject")] = xobjects
        page[NameObject("/Resources")] = writer._add_object(own)
        draw = writer._add_object(_stream(b"q /PcdStamp Do Q\n"))
        contents = page.get("/Contents")
        existing = contents.get_object() if contents is not None else ArrayObject()
        streams = list(existing) if isinstance(existing, ArrayObject) else [contents]
        page[NameObject("/Contents")] = ArrayObject([push, *streams, pop, draw])


def _stream(data: bytes) -> DecodedStreamObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return stream


def _attach(writer: PdfWriter, files: Sequence[engine.Attachment], when: datetime.datetime) -> None:
    """Embed each file as a PDF/A-3 associated file of the document."""
    associated = ArrayObject()
    for item in files:
        embedded = writer.add_attachment(item.name, item.data)
        embedded.alternative_name = TextStringObject(item.name)
        embedded.description = TextStringObject(item.description or item.name)
        embedded.subtype = NameObject("/" + item.mime_type.replace("/", "#2F"))
        embedded.size = NumberObject(len(item.data))
        embedded.checksum = ByteStringObject(hashlib.md5(item.data, usedforsecurity=False).digest())
        embedded.modification_date = when
        embedded.associated_file_relationship = NameObject(f"/{item.relationship}")
        filespec = embedded.pdf_object
        ef = cast(DictionaryObject, filespec["/EF"].get_object())
        ef[NameObject("/UF")] = ef["/F"]
        associated.append(filespec.indirect_reference)
    if associated:
        writer.root_object[NameObject("/AF")] = associated


def _copy_output_intent(writer: PdfWriter, source: PdfReader) -> None:
    intents = source.root_object.get("/OutputIntents")
    if intents is None:
        raise ValueError("The rendered part has no output intent; was it rendered as PDF/A?")
    writer.root_object[NameObject("/OutputIntents")] = intents.get_object().clone(writer)


def assemble(
    parts: Sequence[bytes],
    *,
    stamp: Callable[[PageSizes], bytes],
    info: PackInfo,
    attachments: Sequence[engine.Attachment] = (),
) -> Assembled:
    """Merge rendered parts (PDF/A, from the engine) into one stamped PDF/A-3b file. `stamp`
    gives the page stamp's PDF for the pack's page sizes (documents.content caches it as a part)."""
    writer = PdfWriter()
    readers = [PdfReader(BytesIO(part)) for part in parts]
    for reader in readers:
        writer.append(reader)
    _stamp_pages(writer, stamp)

    _copy_output_intent(writer, readers[0])
    metadata = _stream(xmp_packet(info))  # left unfiltered, as PDF/A readers expect
    metadata.update(
        {NameObject("/Type"): NameObject("/Metadata"), NameObject("/Subtype"): NameObject("/XML")}
    )
    writer.root_object[NameObject("/Metadata")] = writer._add_object(metadata)
    writer.root_object[NameObject("/Lang")] = TextStringObject(info.language)
    date = _pdf_date(info.created)
    writer.add_metadata(
        {
            "/Title": info.title,
            "/Author": AUTHOR,
            "/Creator": CREATOR,
            "/Producer": PRODUCER,
            "/CreationDate": date,
            "/ModDate": date,
            **({seal.KEY: seal.placeholder()} if info.sealed else {}),
        }
    )
    _attach(writer, attachments, info.created)
    # Each part (and the stamp) brings its own copy of the sRGB profile and of shared fonts'
    # dictionaries, and pypdf copies a profile once more for every form XObject that names it:
    # fold identical objects into one (a few milliseconds).
    writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)
    writer.pdf_header = b"%PDF-1.7"
    identifier = hashlib.sha256(info.identifier.encode()).digest()[:16]
    writer._ID = ArrayObject([ByteStringObject(identifier), ByteStringObject(identifier)])
    out = BytesIO()
    writer.write(out)
    return Assembled(pdf=out.getvalue(), pages=len(writer.pages))
