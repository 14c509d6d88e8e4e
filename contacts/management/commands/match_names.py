from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from contacts.identity import KINDS, names_decide


class Command(BaseCommand):
    help = (
        "Scores pairs of names as the admin does when it proposes 'same as': reads a UTF-8 TSV of "
        "name_a<TAB>name_b<TAB>person|organization (a fourth column, a label, is ignored; blank lines and lines "
        "starting with # are skipped) and prints name_a<TAB>name_b<TAB>score<TAB>same|different per pair."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            text = file.read_text(encoding="utf-8-sig")
        except FileNotFoundError as error:
            raise CommandError(_("%(file)s: no such file.") % {"file": file}) from error
        except (UnicodeDecodeError, IsADirectoryError) as error:
            raise CommandError(_("%(file)s: not a UTF-8 text file.") % {"file": file}) from error
        pairs, errors = [], []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip() or line.startswith("#"):
                continue
            columns = line.split("\t")
            if len(columns) not in (3, 4):
                errors.append(
                    _("Line %(line)d: expected 3 columns separated by tabs (name_a, name_b, kind), found %(n)d.")
                    % {"line": number, "n": len(columns)}
                )
            elif not columns[0].strip() or not columns[1].strip():
                errors.append(_("Line %(line)d: a name is empty.") % {"line": number})
            elif columns[2].strip() not in KINDS:
                errors.append(
                    _("Line %(line)d: the kind must be person or organization, not “%(kind)s”.")
                    % {"line": number, "kind": columns[2].strip()}
                )
            else:
                pairs.append((columns[0].strip(), columns[1].strip(), columns[2].strip()))
        if errors:
            raise CommandError("\n".join(errors))
        for name_a, name_b, kind in pairs:
            decision = names_decide(name_a, name_b, kind=kind)
            label = "same" if decision.same else "different"
            self.stdout.write(f"{name_a}\t{name_b}\t{decision.score:.1f}\t{label}")
