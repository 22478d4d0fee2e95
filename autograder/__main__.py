"""Command line of the course pipeline: `python -m autograder <step> ...`.

The Makefile targets are thin calls into these.  Progress and diagnostics go through
``logging`` (one logger per module, ``logging.getLogger(__name__)``); this command line is the
one place that gives them a handler (``setup_logging``): stdout, on the "autograder" logger
only, so TensorFlow's and every other library's logging is left as it was.
"""
from __future__ import annotations

import argparse
import logging
import sys
import time

from . import course


def cmd_check(args) -> int:
    """The visible tests of student notebooks (rnnkit.check: what students and the GitHub
    Classroom template run; no hidden test is involved)."""
    from rnnkit.check import main

    return main([*args.notebooks, *(["--format", args.format]),
                 *(["--github-output"] if args.github_output else [])])


def cmd_lint(args) -> int:
    from .authoring import nbconfig
    from .authoring.metadata import check_all

    problems = check_all(args.assignments or None) + nbconfig.stale()
    for p in problems:
        print("ERROR", p)
    print(f"checked {len(args.assignments or course.ASSIGNMENTS)} masters: {len(problems)} problem(s)")
    return 1 if problems else 0


def _check_bundles(paths: dict) -> list:
    """The leak checks on notebooks/ and on every bundle in ``paths`` ({name: zip}), with
    one line per bundle; returns every leak."""
    from .authoring import bundle, leaks

    secrets, exercises = leaks.course_secrets(), leaks.course_exercises()
    found = leaks.check_release(course.RELEASE, secrets)
    print(f"leak check: {course.RELEASE.relative_to(course.ROOT)}/: {len(found)} leak(s) "
          f"({len(secrets)} secret lines)")
    for name, path in paths.items():
        if name == bundle.SELF_STUDY:
            got = leaks.check_bundle(path, secrets)
            what = "secret lines, markers, outputs, instructor files"
        else:
            got = leaks.check_assignment_bundle(path, name, secrets, exercises)
            due = leaks.exercises_due(name, exercises)
            what = f"secrets, and answers to the {len(due)} exercises of {name} and later"
        print(f"leak check: {path.name}: {len(got)} leak(s) ({what})")
        found += got
    for leak in found:
        print("LEAK", leak)
    return found


def cmd_release(args) -> int:
    from .authoring import bundle, metadata, nbconfig, release

    t0 = time.perf_counter()
    problems = metadata.check_all()
    if problems:
        for p in problems:
            print("ERROR", p)
        return 1
    for path in nbconfig.write():
        print(f"wrote {path.relative_to(course.ROOT)} from course.toml")
    done = release.generate()
    print(f"generated {len(done)} student versions into {course.RELEASE.relative_to(course.ROOT)}/: {', '.join(done)}")
    paths = bundle.build_all()
    for name, path in paths.items():
        kind = "self-study only, never for a graded course" if name == bundle.SELF_STUDY else "release with its assignment"
        print(f"built {path.relative_to(course.ROOT)} ({path.stat().st_size // 1024} KiB): {kind}")
    found = _check_bundles(paths)
    print(f"leak check: {len(found)} leak(s) in notebooks/ and {len(paths)} bundles")
    print(f"release took {time.perf_counter() - t0:.1f} s")
    return 1 if found else 0


def cmd_leaks(args) -> int:
    import tempfile
    from pathlib import Path

    from .authoring import bundle

    with tempfile.TemporaryDirectory(prefix="leaks-") as tmp:
        paths = {}
        for name in (bundle.SELF_STUDY, *course.ASSIGNMENTS):
            path = bundle.bundle_path(name)
            if not path.exists():       # not built yet: check what the release would build now
                print(f"{path.relative_to(course.ROOT)} is not built: checking a fresh build from notebooks/")
                path = bundle.bundle_path(name, Path(tmp))
                if name == bundle.SELF_STUDY:
                    bundle.build(path)
                else:
                    bundle.build_assignment(name, path)
            paths[name] = path
        found = _check_bundles(paths)
    print(f"leak check: {len(found)} leak(s)")
    return 1 if found else 0


def cmd_grade(args) -> int:
    """`grade`: the grading service's command line (grader/cli.py), given the nbgrader course
    platform for ``--course-root`` (its masters, and the publication after the batch)."""
    from .grader import cli
    from .platforms import nbgrader_course

    return cli.run(args, cli.CourseRoot(source=lambda root: nbgrader_course.open_course(root).source,
                                        publish=nbgrader_course.publish))


def cmd_validate(args) -> int:
    from .gates.validate import validate_assignments

    failed = []
    aids = args.assignments or ([course.COURSE.with_role(args.role).id] if args.role else course.ASSIGNMENTS)
    for result in validate_assignments(aids, jobs=args.jobs):
        print(result.report(), flush=True)
        for p in result.problems():
            print("FAIL", p, flush=True)
            failed.append(p)
    print(f"validate: {'FAILED' if failed else 'OK'} ({len(failed)} problem(s))")
    return 1 if failed else 0


# Mistakes in the command line are exit 2 with one clear line, before any work (docs/autograding.md,
# "Exit codes").  `grade` checks its own ids: its masters can live elsewhere (--source, --course-root);
# `feedback`'s are an nbgrader course's gradebook's.
EXIT_USAGE = 2
OWN_ID_CHECK = ("grade", "check", "feedback")


def assignment_ids(args) -> list[str]:
    """The assignment ids a command line names (positional ``assignments`` or ``--assignment``)."""
    ids = getattr(args, "assignments", None) or []
    one = getattr(args, "assignment", None)
    return [*ids, *([one] if isinstance(one, str) else one or [])]


def usage_problem(args) -> str | None:
    """What is wrong with the command line before anything runs, or None."""
    if args.cmd in OWN_ID_CHECK:
        return None
    # inside Gradescope, a master that fails to load must still reach results.json
    # (grade_submission): only an id that course.toml does not know stops `gradescope run` here
    known = course.ALL_ASSIGNMENTS if (args.cmd, getattr(args, "action", None)) == ("gradescope", "run") \
        else course.ASSIGNMENTS
    unknown = [a for a in assignment_ids(args) if a not in known]
    if unknown:
        from .grader.grade import unknown_ids_message

        return unknown_ids_message(unknown, course.ASSIGNMENTS)
    if args.cmd == "export":
        return export_problem(args)
    return None


def export_problem(args) -> str | None:
    """`export`: its grading folder has a summary.csv, its due dates name the course's assignments."""
    from pathlib import Path

    if not (Path(args.out) / "summary.csv").is_file():
        return f"no summary.csv in {args.out}: give the output folder of `python -m autograder grade`"
    for path, what in ((args.roster, "roster"), (args.due, "due dates"), (args.submissions, "submissions folder")):
        if path is not None and not Path(path).exists():
            return f"the {what} {path} does not exist"
    if args.due is not None:
        import csv

        with open(args.due, newline="", encoding="utf-8-sig") as fh:
            named = [row.get("assignment", "") for row in csv.DictReader(fh)]
        unknown = sorted({a for a in named if a not in course.ALL_ASSIGNMENTS})
        if unknown:
            from .grader.grade import unknown_ids_message

            return f"{args.due}: " + unknown_ids_message(unknown, course.ALL_ASSIGNMENTS)
    return None


def add_lint(p) -> None:
    p.add_argument("assignments", nargs="*", help="assignment ids (default: all)")


def add_check(p) -> None:
    p.add_argument("notebooks", nargs="+", help="student notebooks (.ipynb)")
    p.add_argument("--format", choices=("text", "reporter"), default="text",
                   help="reporter: the JSON of GitHub Classroom's autograding-grading-reporter")
    p.add_argument("--github-output", action="store_true",
                   help="also write that JSON, base64-encoded, as the step output 'result'")


def add_validate(p) -> None:
    p.add_argument("assignments", nargs="*", help="assignment ids (default: all)")
    p.add_argument("--jobs", type=int, default=2, help="notebooks graded at once (default 2)")
    p.add_argument("--role", choices=course.KNOWN_ROLES,
                   help="only the assignment course.toml gives this role (e.g. load: a quick one)")


def add_nothing(p) -> None:
    pass


# Every subcommand in one style: (name, where its add_arguments(parser) and run(args) live, help).
# "." is this module (the functions add_<name> and cmd_<name> above); any other is a module of
# the course, imported when its subcommand is asked for (and only then: a command starts in a
# fraction of a second, without the other steps' libraries): one that cannot load stops the
# command line, loudly (tests/test_cli.py imports every one).
SUBCOMMANDS = [
    ("lint", ".", "check the masters: nbgrader metadata, setup first, solution then grade cell"),
    ("check", ".", "run a student notebook's visible tests: points per question, exit 1 on a failure"),
    ("release", ".", "generate notebooks/, build the bundles (one per assignment, and self-study), run the leak checks"),
    ("leaks", ".", "run the leak checks on notebooks/ and every bundle"),
    ("validate", ".", "solutions must score 100 %, blank student versions 0"),
    ("grade", "grader.cli", "grade a folder (or .zip) of submissions: CSVs, results.json, feedback"),
    ("merge", "grader.report", "merge the output folders of several shards of one batch (their CSVs and manual pages)"),
    ("mutants", "gates.mutants", "grade the mutation bank: every wrong answer must lose points"),
    ("alternatives", "gates.alternatives", "grade the alternatives bank: every correct variant keeps full marks"),
    ("bench", "gates.bench", "time the notebooks, the release and the autograder; run the IMDB benchmark"),
    ("imdb-study", "gates.bench_imdb", "train lab 06's IMDB study (candidates on validation, the reference over 5 seeds, masking, bidirectional, the bigram baseline); writes rnnkit/imdb_study.json"),
    ("seq2seq-study", "gates.study_seq2seq", "train lab 08's length study (sections 3 and 5 over 5 seeds, without and with attention); writes rnnkit/seq2seq_study.json"),
    ("determinism", "gates.determinism", "grade each master several times: the grades must not move"),
    ("busy", "gates.busy", "the solutions at 100 % on an idle, a busy and a one-thread grader, on both grading paths"),
    ("gradescope", "platforms.gradescope", "Gradescope: build an assignment's autograder zip, or grade inside it"),
    ("classroom", "platforms.classroom", "GitHub Classroom: build the student template repositories, or collect the student repos"),
    ("export", "platforms.lms", "the LMS gradebook: one row per student (wide, Canvas or Moodle), roster ids, late marks"),
    ("feedback", "platforms.nbgrader_course", "an nbgrader course: rebuild every student's feedback from the gradebook (hand grades and comments), for release_feedback"),
    ("load", "gates.load", "a class of N submissions of 02 graded twice, JOBS=2: throughput, peak memory, rows, identical CSVs"),
    ("assets", "authoring.figures", "redraw the figures in assets/ (the course's notation and gate colours)"),
    ("nbtext", "authoring.nbtext", "a master as plain text and back (build: text -> ipynb, dump: ipynb -> text)"),
]


def _entry(name: str, where: str):
    """(add_arguments, run) of a subcommand."""
    import importlib

    if where == ".":
        here = sys.modules[__name__]
        return getattr(here, f"add_{name}", add_nothing), getattr(here, f"cmd_{name}")
    try:
        mod = importlib.import_module(f"autograder.{where}")
    except Exception as exc:
        raise SystemExit(f"ERROR: the subcommand {name!r} cannot load (autograder.{where}): "
                         f"{type(exc).__name__}: {exc}") from exc
    return mod.add_arguments, (cmd_grade if name == "grade" else mod.run)


class LogFormat(logging.Formatter):
    """INFO as the bare message (progress); WARNING and ERROR as ``WARNING: message``."""

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        return text if record.levelno < logging.WARNING else f"{record.levelname}: {text}"


def setup_logging(stream=None) -> logging.Handler:
    """The command line's handler: INFO and above of the "autograder" loggers on ``stream``
    (default stdout), not passed on to the root logger (which stays as it was).  Returns the
    handler (``main`` removes it, and restores the logger, when the subcommand ends)."""
    handler = logging.StreamHandler(sys.stdout if stream is None else stream)
    handler.setFormatter(LogFormat("%(message)s"))
    logger = logging.getLogger("autograder")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return handler


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    argv = sys.argv[1:] if argv is None else list(argv)
    chosen = next((a for a in argv if not a.startswith("-")), None)
    for name, where, helptext in SUBCOMMANDS:
        p = sub.add_parser(name, help=helptext.replace("%", "%%"))
        if name == chosen:
            add_arguments, run = _entry(name, where)
            add_arguments(p)
            p.set_defaults(fn=run)
    args = parser.parse_args(argv)
    problem = usage_problem(args)
    if problem:
        print(f"ERROR: {problem}", file=sys.stderr)
        return EXIT_USAGE
    course.venv_on_path()
    logger = logging.getLogger("autograder")
    before = logger.level, logger.propagate
    handler = setup_logging()
    try:
        return args.fn(args)
    except (FileNotFoundError, NotADirectoryError) as exc:    # a path on the command line that is not there
        print(f"ERROR: {exc}", file=sys.stderr)
        return EXIT_USAGE
    finally:        # as it was: a caller in the same process (a test) finds logging untouched
        logger.removeHandler(handler)
        logger.setLevel(before[0])
        logger.propagate = before[1]


if __name__ == "__main__":
    sys.exit(main())
