import csv

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from lk3.people import dedup_csv

HEADER = "id,full_name,birth_date,sex,nik,birth_place,address,kelurahan_code"
# A1 and A2 are one man: "Moh. Rizki" for "Muhammad Rizky", day and month
# swapped, no NIK on the second record. C1 shares his family name, B1 nothing.
PERSONS = [
    HEADER,
    'A1,Muhammad Rizky Pratama,1990-03-07,L,6474010703900002,Bontang,"Jl. Pattimura No. 12, RT 004",64.74.01.1003',
    'B1,Siti Aminah,1985-08-05,P,6474014508850001,Bontang,"Jl. Mawar No. 3, RT 010",64.74.02.1001',
    'A2,Moh. Rizki Pratama,1990-07-03,L,,Bontang,"Jl. Pattimura No. 12, RT 004",64.74.01.1003',
    'C1,Rizky Pratama,1991-05-20,L,6474012005910003,Samarinda,"Jl. Cendana No. 9, RT 001",64.74.03.1002',
]


@pytest.fixture
def files(tmp_path):
    def write(lines):
        source = tmp_path / "persons.csv"
        source.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return source, tmp_path / "pairs.csv"

    return write


def run(source, target, *extra):
    call_command("dedup_csv", "--input", str(source), "--output", str(target), *extra)


def rows(path):
    with path.open(newline="", encoding="utf-8") as output:
        return list(csv.reader(output))


def test_the_variant_spelling_with_swapped_day_and_month_is_the_only_pair(files):
    source, target = files(PERSONS)

    run(source, target)

    assert [row[:2] for row in rows(target)[1:]] == [["A1", "A2"]]


def test_the_output_header_is_id_a_id_b_score(files):
    source, target = files(PERSONS)

    run(source, target)

    assert target.read_text(encoding="utf-8").splitlines()[0] == "id_a,id_b,score"


def test_scores_are_between_0_and_1(files):
    source, target = files(PERSONS)

    run(source, target, "--threshold", "0")

    scores = [float(row[2]) for row in rows(target)[1:]]
    assert len(scores) > 1
    assert all(0 <= score <= 1 for score in scores)


def test_a_higher_threshold_drops_the_pair(files):
    source, target = files(PERSONS)

    run(source, target, "--threshold", "1")

    assert rows(target) == [["id_a", "id_b", "score"]]


def test_the_summary_counts_records_and_pairs(files, capsys):
    source, target = files(PERSONS)

    with translation.override("en"):
        run(source, target)

    assert capsys.readouterr().out == f"1 pairs among 4 records written to {target}.\n"


def test_a_header_without_the_columns_is_refused_and_nothing_is_written(files):
    source, target = files(["id,name,birth_date", "A1,Siti Aminah,1985-08-05"])

    with pytest.raises(CommandError) as refused:
        run(source, target)

    assert refused.value.returncode == 2
    assert str(refused.value) == dedup_csv.MISSING_COLUMNS % {
        "columns": HEADER,
        "missing": "full_name,sex,nik,birth_place,address,kelurahan_code",
    }
    assert not target.exists()


def test_a_bad_birth_date_names_its_line(files):
    lines = [*PERSONS[:3], "A2,Moh. Rizki Pratama,07/03/1990,L,,Bontang,,", *PERSONS[4:]]
    source, target = files(lines)

    with pytest.raises(CommandError) as refused:
        run(source, target)

    assert refused.value.returncode == 2
    assert str(refused.value) == dedup_csv.BAD_BIRTH_DATE % {"line": 4, "value": "07/03/1990"}
    assert not target.exists()


def test_the_bad_birth_date_message_is_in_indonesian(files):
    source, target = files([HEADER, "A1,Siti Aminah,1985-02-30,P,,,,"])

    with translation.override("id"), pytest.raises(CommandError) as refused:
        run(source, target)

    assert str(refused.value) == (
        "Baris 2: tanggal lahir 1985-02-30 bukan tanggal yang ditulis TTTT-BB-HH."
    )


@pytest.mark.parametrize(
    ("line", "message", "values"),
    [
        (",Siti Aminah,1985-08-05,P,,,,", dedup_csv.MISSING_ID, {"line": 3}),
        (
            "A1,Siti Aminah,1985-08-05,P,,,,",
            dedup_csv.DUPLICATE_ID,
            {"line": 3, "id": "A1", "first": 2},
        ),
        ("B1,Siti Aminah,1985-08-05,W,,,,", dedup_csv.BAD_SEX, {"line": 3, "value": "W"}),
        (
            "B1,Siti Aminah,1985-08-05,P",
            dedup_csv.WRONG_FIELD_COUNT,
            {"line": 3, "expected": 8, "found": 4},
        ),
    ],
)
def test_a_bad_row_is_refused_with_its_line(files, line, message, values):
    source, target = files([*PERSONS[:2], line])

    with pytest.raises(CommandError) as refused:
        run(source, target)

    assert refused.value.returncode == 2
    assert str(refused.value) == message % values
    assert not target.exists()


def test_an_earlier_output_is_left_alone_when_the_input_is_bad(files):
    source, target = files([HEADER, "A1,Siti Aminah,5 Agustus 1985,P,,,,"])
    target.write_text("id_a,id_b,score\nX,Y,0.9000\n", encoding="utf-8")

    with pytest.raises(CommandError):
        run(source, target)

    assert target.read_text(encoding="utf-8") == "id_a,id_b,score\nX,Y,0.9000\n"
    assert {path.name for path in target.parent.iterdir()} == {"persons.csv", "pairs.csv"}


def test_a_threshold_outside_0_to_1_is_refused(files):
    source, target = files(PERSONS)

    with pytest.raises(CommandError) as refused:
        run(source, target, "--threshold", "1.5")

    assert refused.value.returncode == 2
    assert not target.exists()


def test_a_missing_input_file_is_refused(tmp_path):
    with pytest.raises(CommandError) as refused:
        run(tmp_path / "absent.csv", tmp_path / "pairs.csv")

    assert refused.value.returncode == 2
    assert not (tmp_path / "pairs.csv").exists()


def test_columns_may_come_in_any_order_and_a_spreadsheet_bom_is_read(files):
    reordered = ["\ufeffnik,id,full_name,sex,birth_date,birth_place,address,kelurahan_code"]
    reordered += [
        "6474010703900002,A1,Muhammad Rizky Pratama,L,1990-03-07,Bontang,Jl. Pattimura No. 12,64.74.01.1003",
        ",A2,Moh. Rizki Pratama,L,1990-07-03,Bontang,Jl. Pattimura No. 12,64.74.01.1003",
    ]
    source, target = files(reordered)

    run(source, target)

    assert [row[:2] for row in rows(target)[1:]] == [["A1", "A2"]]
