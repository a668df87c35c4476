import pytest

from lmdemo.data.poem_form import FORMS, check_form, detect_form, parse_form, right_mark, split_lines

QUATRAIN = "床前明月光，疑是地上霜。舉頭望明月，低頭思故鄉。"  # 五言絕句
REGULATED_7 = ("風急天高猿嘯哀，渚清沙白鳥飛迴。無邊落木蕭蕭下，不盡長江滾滾來。"
               "萬里悲秋常作客，百年多病獨登臺。艱難苦恨繁霜鬢，潦倒新停濁酒杯。")  # 七言律詩


def test_parse_form_accepts_both_scripts_and_names_the_choices():
    assert parse_form("七言绝句") == "七言絕句"
    assert parse_form(" 五言律詩 ") == "五言律詩"
    with pytest.raises(ValueError, match=r"unknown form='六言絕句'.*五言絕句"):
        parse_form("六言絕句")
    with pytest.raises(ValueError, match="unknown form=None"):
        parse_form(None)


def test_split_lines_keeps_marks_runs_and_newlines():
    assert split_lines("床前明月光，疑是地上霜") == [("床前明月光", "，"), ("疑是地上霜", "")]
    assert split_lines("一二三四五。。\n六七八九十\n") == [("一二三四五", "。。"), ("六七八九十", "")]
    assert split_lines(" 甲 乙，") == [("甲乙", "，")]
    assert split_lines("") == []


def test_check_form_right_poems():
    for poem, form in ((QUATRAIN, "五言絕句"), (REGULATED_7, "七言律詩")):
        r = check_form(poem, form)
        assert r["form_ok"] and r["marks_ok"] == r["marks_total"] == FORMS[form][0]
        assert detect_form(poem) == form


def test_check_form_wrong_line_count_width_and_marks():
    three_lines = "床前明月光，疑是地上霜。舉頭望明月，"
    r = check_form(three_lines, "五言絕句")
    assert (r["form_ok"], r["lines"], r["marks_ok"], r["marks_total"]) == (False, 3, 3, 4)
    wide = "床前明月光光，疑是地上霜。舉頭望明月，低頭思故鄉。"
    r = check_form(wide, "五言絕句")
    assert (r["form_ok"], r["widths"]) == (False, [6, 5, 5, 5])
    assert detect_form(wide) is None
    swapped = "床前明月光。疑是地上霜，舉頭望明月。低頭思故鄉，"
    r = check_form(swapped, "五言絕句")
    assert r["form_ok"] and r["marks_ok"] == 0
    ascii_marks = "床前明月光,疑是地上霜.舉頭望明月,低頭思故鄉."
    r = check_form(ascii_marks, "五言絕句")
    assert r["form_ok"] and r["marks_ok"] == 0
    r = check_form(QUATRAIN + "多一行字，", "五言絕句")
    assert (r["form_ok"], r["lines"], r["marks_ok"], r["marks_total"]) == (False, 5, 5, 5)


def test_right_mark():
    assert right_mark(0, "，") and right_mark(1, "。") and right_mark(2, "？") and right_mark(3, "！")
    assert not right_mark(0, "。") and not right_mark(1, "，") and not right_mark(1, "。。") and not right_mark(1, "")
