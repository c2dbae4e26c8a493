"""The dossier as Markdown, for reading in a terminal or a notebook."""

from __future__ import annotations

import re

from storyline.model import DateValue, Dossier, Span, date_label
from storyline.stages.corpus.dossier import outlet_label

# Article text is untrusted: a Markdown renderer would pass raw HTML through, and
# emphasis or link syntax in a quote would change what a reader sees.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]#|!])")


def md_escape(text: str) -> str:
    """Escape Markdown syntax and HTML in untrusted text."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def when(value: DateValue | None) -> str:
    """A DateValue for people (see :func:`storyline.model.date_label`)."""
    if value is None:
        return "unknown"
    return date_label(
        value.start.isoformat(),
        value.end.isoformat(),
        value.precision,
        estimate=value.estimate,
        basis=value.basis,
    )


def shared_evidence(d: Dossier) -> frozenset[Span]:
    """Evidence spans of a report that backs two or more claim groups (one sentence telling
    two events that other outlets tell apart): cited in each, marked so a reader does not
    count the report twice."""
    backs: dict[str, int] = {}
    for c in d.claims:
        for m in c.claims:
            backs[m.id] = backs.get(m.id, 0) + 1
    return frozenset(m.span for c in d.claims for m in c.claims if backs[m.id] > 1)


def render_markdown(d: Dossier) -> str:
    """Render a dossier as Markdown."""
    outlets = {a.id: outlet_label(a) for a in d.articles}

    def ref(s: Span) -> str:
        # a span of the title or header lines says so: "id:title:0-42"
        where = "" if s.part == "text" else f"{s.part}:"
        return f"[{md_escape(outlets.get(s.article_id, s.article_id))} {s.article_id}:{where}{s.start}-{s.end}]"

    lines = [f"# {md_escape(d.title)}", "", md_escape(d.summary), ""]
    if d.incomplete:
        lines += [f"**Incomplete:** {', '.join(d.incomplete)} failed on this story.", ""]
    lines += ["## Articles", ""]
    lines.append("| id | outlet | published | byline / wire | title |")
    lines.append("|---|---|---|---|---|")
    for a in d.articles:
        by = " / ".join(x for x in (a.byline, a.wire) if x) or "-"
        lines.append(
            f"| {a.id} | {md_escape(a.outlet or '-')} | {when(a.published)} | {md_escape(by)} | {md_escape(a.title or '')} |"
        )
    lines += ["", "## Timeline", "", "| when | what | expression | evidence |", "|---|---|---|---|"]
    for t in d.timeline:
        lines.append(
            f"| {when(t.when)} | {md_escape(t.text)} | {md_escape(t.expression)} | {' '.join(ref(s) for s in t.evidence)} |"
        )
    lines += [
        "",
        "## Claims",
        "",
        "| status | sources | claim | attributed to | hedges | evidence |",
    ]
    lines.append("|---|---|---|---|---|---|")
    shared = shared_evidence(d)
    for c in d.claims:
        status = c.status + (f" (denied by {', '.join(c.denied_by)})" if c.denied_by else "")
        refs = [
            ref(s) + (" *(also backs another claim)*" if s in shared else "") for s in c.evidence
        ]
        lines.append(
            f"| {md_escape(status)} | {c.independent_sources} | {md_escape(c.text)}"
            f"{' *(view)*' if c.stance == 'view' else ''} | {md_escape(', '.join(c.attributed_to))} |"
            f" {md_escape(', '.join(c.hedges))} | {' '.join(refs)} |"
        )
    lines += ["", "## Quotes", ""]
    for q in d.quotes:
        who = md_escape(q.speaker_name or "unattributed")
        via = f" via {md_escape(q.via_name)}" if q.via_name else ""
        lines.append(
            f"- **{who}**{via} ({q.kind}, {md_escape(q.cue or '-')}): “{md_escape(q.text)}” {ref(q.span)}"
        )
    lines += ["", "## Entities", ""]
    for e in d.entities:
        aliases = ", ".join(md_escape(a) for a in e.aliases if a != e.name)
        desc = f": {md_escape(e.description)}" if e.description else ""
        lines.append(
            f"- **{md_escape(e.name)}** ({e.label}{desc}), {len(e.mentions)} mentions"
            + (f"; also {aliases}" if aliases else "")
        )
    return "\n".join(lines) + "\n"
