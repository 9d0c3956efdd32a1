"""`mot check [PATH …] [--analyse] [--format text|json]`: lint level files like a compiler."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ..analysis import analyse, warnings
from ..balance import always_warnings, balance, report_warnings
from ..diagnostics import CODES, Diagnostic, display_path, fix, meaning
from ..i18n import STRINGS, counted, default_language, t
from ..library import (
    CAMPAIGN_FILE,
    flag_duplicate_campaigns,
    flag_duplicate_ids,
    levels_dirs,
    load_folder,
    load_folder_for,
)
from ..loader import LoadResult, load_campaign


def add_parser(parser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="level files or folders (default: every folder the game reads: the "
                             "shipped campaigns, MOT_LEVELS, the user data folder's levels/)")
    parser.add_argument("--analyse", "--analyze", action="store_true", dest="analyse",
                        help="also report every level's endings, best/worst score and paths")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--free", action="store_true",
                        help="also check what free-answer mode would match wrongly (W117, W118); "
                             "needs the optional extra: pip install -e '.[free]'")
    parser.add_argument("--lang", choices=("zh", "en"), default=None)
    parser.add_argument("--explain", metavar="CODE",
                        help="say what a diagnostic code (E013, W115, …) means, in --lang, and stop")


def collect(paths: list[Path]) -> list[LoadResult]:
    """Load every file named, or found in the folders named (each folder as a campaign)."""
    results: list[LoadResult] = []
    for path in paths:
        if path.is_dir():
            folders = [path] if any(path.glob("*.toml")) else []
            folders += sorted(p for p in path.rglob("*") if p.is_dir() and any(p.glob("*.toml"))
                              and not any(part.startswith((".", "_")) for part in p.relative_to(path).parts))
            for folder in dict.fromkeys(folders):
                results.extend(load_folder(folder)[1])
        elif path.name == CAMPAIGN_FILE:
            results.append(load_campaign(path))
        elif path.exists():
            results.extend(load_folder_for(path)[1])
        else:
            results.append(LoadResult(path, [Diagnostic(display_path(path), 1, 1, "E002",
                                                        "no such file or folder", "没有这个文件或文件夹")]))
    return results


def check(paths: list[Path], balancing: bool = False, matcher=None):
    """Diagnostics for every file, plus analysis reports; shared by `mot check` and tests.

    With `balancing`, each report carries its balancing report (`report.balance`) and the
    checker adds the balancing warnings W110–W113. With a free-answer `matcher`
    (`mot check --free`), it adds W117 and W118."""
    results = collect(paths)
    diagnostics: list[Diagnostic] = []
    reports = []
    for res in results:
        diagnostics.extend(res.diagnostics)
        if res.level is not None and res.ok:
            report = analyse(res.level)
            diagnostics.extend(warnings(res.level, res.positions, report))
            diagnostics.extend(always_warnings(res.level, res.positions, report))
            if balancing and report.complete:  # an unfinished walk proves nothing to balance
                report.balance = balance(res.level, report)
                diagnostics.extend(report_warnings(res.level, res.positions, report, report.balance))
            if matcher is not None:
                from ..freeanswer.audit import free_warnings

                diagnostics.extend(free_warnings(res.level, res.positions, matcher, report))
            reports.append(report)
    # Ids unique across everything checked (each file is still analysed on its own).
    diagnostics.extend(res.diagnostics[-1] for res in flag_duplicate_campaigns(results))
    diagnostics.extend(res.diagnostics[-1] for res in flag_duplicate_ids(results))
    levels = sum(1 for r in results if r.path.name != CAMPAIGN_FILE)
    # Each diagnostic once, in file order; those at the same place keep the order they were found in
    # (a set's order changed from run to run).
    return levels, sorted(dict.fromkeys(diagnostics), key=lambda d: (d.path, d.line, d.col, d.code)), reports


def run(args) -> int:
    lang = args.lang or default_language()
    if getattr(args, "explain", None):
        return explain(args.explain, lang)
    paths = [Path(p) for p in args.paths] or levels_dirs()
    matcher = _free_matcher(lang) if getattr(args, "free", False) else None
    levels, diagnostics, reports = check(paths, balancing=args.analyse, matcher=matcher)
    if matcher is None and not getattr(args, "free", False) and _has_examples(paths):
        print(t("check.free_skipped", lang), file=sys.stderr)
    errors = sum(d.is_error for d in diagnostics)
    warns = len(diagnostics) - errors
    if args.format == "json":
        out = [d.as_dict() for d in diagnostics]
        if args.analyse:
            out = {"diagnostics": out,
                   "levels": [{**r.as_dict(), "balance": r.balance.as_dict() if r.balance else None} for r in reports]}
        json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        for d in diagnostics:
            print(d.render(lang))
        if args.analyse:
            for report in reports:
                print(_describe(report, lang))
        print(t("cli.summary", lang, levels=counted("count.levels", levels, lang),
                errors=counted("count.errors", errors, lang), warnings=counted("count.warnings", warns, lang)))
    return 1 if errors else 0


def explain(code: str, lang: str) -> int:
    """`mot check --explain W115`: the code's meaning in `lang`, and where its fix is written."""
    code = code.strip().upper()
    if code not in CODES:
        errors = sorted(c for c in CODES if c.startswith("E"))
        warnings = sorted(c for c in CODES if c.startswith("W"))
        print(t("check.unknown_code", lang, code=code, errors=f"{errors[0]}–{errors[-1]}",
                warnings=f"{warnings[0]}–{warnings[-1]}"), file=sys.stderr)
        return 2
    severity = t("check.error" if code.startswith("E") else "check.warning", lang)
    print(t("check.explain", lang, code=code, severity=severity, meaning=meaning(code, lang), fix=fix(code, lang)))
    return 0


def _free_matcher(lang: str):
    """The matcher for --free, or None after a note that the free-answer checks are skipped."""
    from ..freeanswer import FreeAnswerUnavailable, Matcher, load_encoder

    try:
        return Matcher(load_encoder())
    except FreeAnswerUnavailable as error:
        print(t("check.free_unavailable", lang, why=error.message(lang)), file=sys.stderr)
        return None


def _has_examples(paths: list[Path]) -> bool:
    """Whether a level checked has `examples` (cheap: a text search, no second parse)."""
    import re

    from ..loader import MAX_FILE_BYTES
    from ..paths import UnsafeFile, read_regular

    files = [p for path in paths
             for p in ([path] if path.is_file() else path.rglob("*.toml") if path.is_dir() else [])]
    for file in files:
        try:
            if re.search(rb"\bexamples\s*=", read_regular(file, MAX_FILE_BYTES)):
                return True
        except (OSError, UnsafeFile):
            continue
    return False


def _describe(report, lang: str = "en") -> str:
    """The analysis report of one level as text, in `lang` (ids and numbers stay as written)."""
    lines = ["\n" + t("report.states", lang, level=report.level, states=f"{report.states:,}")
             + ("" if report.complete else t("report.stopped", lang))]
    for ending, ok in report.endings.items():
        verdict = "report.reachable" if ok else "report.unreachable" if report.complete else "report.not_reached"
        lines.append(t("report.ending", lang, ending=ending, verdict=t(verdict, lang)))
    for name, info in (("best", report.best), ("worst", report.worst), ("ideal", report.ideal)):
        if info:
            assumed = t("report.assuming", lang, scores=info.scores) if info.scores else ""
            lines.append(t("report.path", lang, name=t(f"report.{name}", lang), score=f"{info.score:+d}",
                           ending=info.ending, choices=",".join(info.choices), assumed=assumed))
    if not report.complete:  # nothing below was proved: say so rather than guess
        lines.append(t("report.paths_not_counted", lang))
        return "\n".join(lines)
    paths = report.paths if report.paths is not None else t("report.paths_unbounded", lang)
    lines.append(t("report.paths", lang, paths=paths))
    if report.unused_choices:
        lines.append(t("report.unused", lang, choices=", ".join(f"{s}/{c}" for s, c in report.unused_choices)))
    lines.extend(_describe_balance(report.balance, lang))
    return "\n".join(lines)


def _describe_balance(b, lang: str = "en") -> list[str]:
    """The balancing report as text: spread of scores, naive strategies, then every choice."""
    lines = [t("report.balance", lang)]
    if b.histogram is not None:
        spread = "  ".join(f"{score:+d}: {n:,}" for score, n in sorted(b.histogram.items()))
        lines.append(t("report.histogram", lang, spread=spread))
    if b.random_expected is not None:
        lines.append(t("report.random", lang, score=f"{b.random_expected:+.2f}"))
    for name, s in b.strategies.items():
        got = t("report.never_ends", lang) if s.score is None else f"{s.score:+d}"
        extra = t("report.guessed", lang, expected=f"{s.expected:+.2f}") if s.expected is not None else ""
        if s.tied:
            extra += t("report.tied", lang)
        label = t(f"report.strategy.{name}", lang) if f"report.strategy.{name}" in STRINGS else name
        lines.append(t("report.strategy", lang, name=label, score=got, extra=extra))
    alone, total = b.give_away
    lines.append(t("report.alone", lang, alone=alone, total=total))
    lines.append(t("report.after_each", lang))
    for (scene, choice), (best, worst) in b.choices.items():
        lines.append(f"      {scene}/{choice}: {best:+d} / {worst:+d}")
    return lines
