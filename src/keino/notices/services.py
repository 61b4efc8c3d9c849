"""Writes about tender notices: reading files (XML, JSON, zip, folders) and storing notices."""

import io
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from keino.notices.eforms import InvalidNotice, ParsedNotice, parse_eforms
from keino.notices.models import Lot, Notice, NoticeFormat, Winner

MAX_ZIP_MEMBERS = 10_000
MAX_UNPACKED_BYTES = 500 * 1024 * 1024
NOTICE_SUFFIXES = (".xml", ".json", ".zip")


@dataclass
class NoticeImportReport:
    """What an import did; every notice read is imported, unchanged or rejected."""

    notices_read: int = 0
    notices_imported: int = 0  # new, or a newer version of a stored notice
    notices_unchanged: int = 0  # the same or an older version than the stored one
    notices_rejected: int = 0
    lots: int = 0  # lots of the notices imported
    strategic: Counter = field(default_factory=Counter)  # BT-06 code → lots
    environmental: Counter = field(default_factory=Counter)  # BT-774
    social: Counter = field(default_factory=Counter)  # BT-775
    innovative: Counter = field(default_factory=Counter)  # BT-776
    gpp_criteria: Counter = field(default_factory=Counter)  # BT-805
    problems: list[tuple[str, str]] = field(default_factory=list)  # (file, why rejected)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (file, what is odd)

    def summary(self) -> str:
        """One sentence: what the import did (the same on the page and on the command line)."""
        return _(
            "%(read)s notices read: %(imported)s imported, %(unchanged)s already up to date, "
            "%(rejected)s rejected; %(lots)s lots."
        ) % {
            "read": self.notices_read,
            "imported": self.notices_imported,
            "unchanged": self.notices_unchanged,
            "rejected": self.notices_rejected,
            "lots": self.lots,
        }

    def as_text(self) -> list[str]:
        """The summary, then a line for each notice rejected (each message names its file)."""
        return [self.summary(), *(f"  {message}" for _name, message in self.problems)]

    def as_dict(self) -> dict:
        return {
            "notices_read": self.notices_read,
            "notices_imported": self.notices_imported,
            "notices_unchanged": self.notices_unchanged,
            "notices_rejected": self.notices_rejected,
            "lots": self.lots,
            "strategic_procurement": dict(sorted(self.strategic.items())),
            "environmental_impact": dict(sorted(self.environmental.items())),
            "social_objective": dict(sorted(self.social.items())),
            "innovative_acquisition": dict(sorted(self.innovative.items())),
            "gpp_criteria": dict(sorted(self.gpp_criteria.items())),
            "problems": [{"file": name, "message": message} for name, message in self.problems],
            "warnings": [{"file": name, "message": message} for name, message in self.warnings],
        }


class UnusableArchive(ValueError):
    """A zip file that cannot be read safely (corrupt, too many members, too large unpacked)."""


def zip_members(name: str, data: bytes) -> Iterator[tuple[str, bytes]]:
    """The notice files of a zip, checked against its declared sizes before anything is read."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise UnusableArchive(f"{name}: not a readable zip file ({error}).") from None
    members = [
        info
        for info in archive.infolist()
        if not info.is_dir() and info.filename.lower().endswith((".xml", ".json"))
    ]
    if len(members) > MAX_ZIP_MEMBERS:
        raise UnusableArchive(f"{name}: more than {MAX_ZIP_MEMBERS} files.")
    if sum(info.file_size for info in members) > MAX_UNPACKED_BYTES:
        raise UnusableArchive(f"{name}: more than {MAX_UNPACKED_BYTES // 2**20} MB unpacked.")
    for info in sorted(members, key=lambda info: info.filename):
        with archive.open(info) as member:
            # Read at most the declared size + 1: a member that lies about its size is refused.
            content = member.read(info.file_size + 1)
        if len(content) > info.file_size:
            raise UnusableArchive(f"{name}/{info.filename}: larger than the zip says.")
        yield f"{name}/{info.filename}", content


def path_sources(paths: Iterable[Path]) -> Iterator[tuple[str, bytes]]:
    """(name, content) of every notice file in the paths: files, folders (recursively), zips."""
    for path in paths:
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.suffix.lower() in NOTICE_SUFFIXES)
        else:
            files = [path]
        for file in files:
            yield str(file), file.read_bytes()


def _notices_of(name: str, data: bytes) -> list[tuple[NoticeFormat, ParsedNotice]]:
    """The notices of one file. An unreadable file raises InvalidNotice."""
    start = data.lstrip()[:1]
    if start in (b"{", b"["):
        from keino.notices.ocds import parse_ocds

        return [(NoticeFormat.OCDS, notice) for notice in parse_ocds(data, name)]
    return [(NoticeFormat.EFORMS, parse_eforms(data, name))]


def notices_import(*, organisation, sources: Iterable[tuple[str, bytes]]) -> NoticeImportReport:
    """Read and store notices; each notice is stored whole or not at all."""
    report = NoticeImportReport()
    for name, data in _expanded(sources, report):
        try:
            notices = _notices_of(name, data)
        except InvalidNotice as error:
            report.notices_read += 1
            report.notices_rejected += 1
            report.problems.append((name, str(error)))
            continue
        for notice_format, parsed in notices:
            report.notices_read += 1
            if problem := _too_long(parsed):
                report.notices_rejected += 1
                report.problems.append((name, f"{name}: {problem}"))
                continue
            report.warnings.extend((name, warning) for warning in parsed.warnings)
            if notice_store(
                organisation=organisation, parsed=parsed, notice_format=notice_format, name=name
            ):
                report.notices_imported += 1
                report.lots += len(parsed.lots)
                for lot in parsed.lots:
                    report.strategic.update(lot.strategic)
                    report.environmental.update(lot.environmental)
                    report.social.update(lot.social)
                    report.innovative.update(lot.innovative)
                    report.gpp_criteria.update(lot.gpp_criteria)
            else:
                report.notices_unchanged += 1
    return report


def _expanded(sources, report: NoticeImportReport) -> Iterator[tuple[str, bytes]]:
    for name, data in sources:
        if name.lower().endswith(".zip"):
            try:
                yield from zip_members(name, data)
            except UnusableArchive as error:
                report.notices_read += 1
                report.notices_rejected += 1
                report.problems.append((name, str(error)))
        else:
            yield name, data


# Identifiers longer than their columns cannot be stored and are refused (the rest is cut).
_LIMITS = {"notice_id": 200, "version": 50, "notice_type": 50, "form_type": 50, "subtype": 20}


def _too_long(parsed: ParsedNotice) -> str | None:
    for name, limit in _LIMITS.items():
        value = getattr(parsed, name) or ""
        if len(value) > limit:
            return f"The {name.replace('_', ' ')} is longer than {limit} characters: {value[:60]}…"
    for lot in parsed.lots:
        if len(lot.lot_id or "") > 100:
            return f"A lot identifier is longer than 100 characters: {lot.lot_id[:60]}…"
    return None


def _version_key(version: str) -> tuple:
    return (0, int(version), "") if version.isdigit() else (1, 0, version)


def _aims(lot) -> dict[str, bool]:
    def named(codes) -> bool:
        return any(code != "none" for code in codes)

    return {
        "environmental_aim": "env-imp" in lot.strategic or named(lot.environmental),
        "social_aim": "soc-obj" in lot.strategic or named(lot.social),
        "innovation_aim": "inn-pur" in lot.strategic or named(lot.innovative),
        "green_criteria": named(lot.gpp_criteria),
    }


@transaction.atomic
def notice_store(*, organisation, parsed: ParsedNotice, notice_format: str, name: str) -> bool:
    """Store a notice, or a newer version of a stored one (its lots replaced); False if the
    organisation already has this or a newer version of it."""
    stored = (
        Notice.objects.select_for_update()
        .filter(organisation=organisation, notice_id=parsed.notice_id)
        .first()
    )
    if stored and _version_key(stored.version) >= _version_key(parsed.version or ""):
        return False
    fields = {
        "version": parsed.version or "",
        "notice_type": parsed.notice_type,
        "form_type": parsed.form_type or "",
        "subtype": parsed.subtype or "",
        "publication_date": parsed.publication_date,
        "buyer_name": (parsed.buyer_name or "")[:500],
        "buyer_business_id": (parsed.buyer_business_id or "")[:50],
        "title": parsed.title or "",
        "procedure_type": (parsed.procedure_type or "")[:50],
        "estimated_value": parsed.estimated_value,
        "currency": (parsed.currency or "")[:3],
        "changes_notice": (parsed.changes_notice or "")[:200],
        "source_format": notice_format,
        "source_name": Path(name).name[:500],
        "warnings": list(parsed.warnings),
    }
    if stored:
        for key, value in fields.items():
            setattr(stored, key, value)
        stored.save()
        stored.lots.all().delete()
        notice = stored
    else:
        notice = Notice.objects.create(
            organisation=organisation, notice_id=parsed.notice_id, **fields
        )
    for parsed_lot in parsed.lots:
        lot = Lot.objects.create(
            notice=notice,
            lot_id=parsed_lot.lot_id,
            title=parsed_lot.title or "",
            main_cpv=(parsed_lot.main_cpv or "")[:10],
            additional_cpv=list(parsed_lot.additional_cpv),
            contract_nature=(parsed_lot.contract_nature or "")[:20],
            estimated_value=parsed_lot.estimated_value,
            estimated_currency=(parsed_lot.estimated_currency or "")[:3],
            awarded_value=parsed_lot.awarded_value,
            awarded_currency=(parsed_lot.awarded_currency or "")[:3],
            strategic=list(parsed_lot.strategic),
            environmental=list(parsed_lot.environmental),
            social=list(parsed_lot.social),
            innovative=list(parsed_lot.innovative),
            gpp_criteria=list(parsed_lot.gpp_criteria),
            clean_vehicles=list(parsed_lot.clean_vehicles),
            **_aims(parsed_lot),
        )
        Winner.objects.bulk_create(
            Winner(
                lot=lot,
                name=(winner.name or "")[:500],
                business_id=(winner.business_id or "")[:50],
                country=(winner.country or "")[:3],
            )
            for winner in parsed_lot.winners
        )
    return True
