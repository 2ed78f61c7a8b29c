"""Task tables as measures (`task_tables`): which tables are task tables, and how their rows are written as text."""

from assets.domain.reading.task_tables import header_role, read_header, render_grid, render_text_tables

HEADER = ["序号", "重点任务", "具体措施", "牵头单位", "配合单位", "完成时限"]


def test_column_roles_come_from_the_header_with_its_qualifiers():
    assert header_role("牵头单位（部门）") == "lead"
    assert header_role(" 配合 单位 ") == "cooperating"
    assert header_role("责任单位：") == "responsible"
    assert header_role("时间节点") == "deadline"
    assert header_role("牵头单位：县市场监管局") is None  # a field with its value is text, not a header cell
    columns = read_header(HEADER)
    assert (columns.number, columns.sections, columns.measure) == (0, (1,), 2)
    assert columns.fields == ((3, "牵头单位"), (4, "配合单位"), (5, "完成时限"))
    # a responsibility field's own name is kept (the annotation reader knows it); other names take their role's field
    other = read_header(["序号", "工作措施", "牵头单位（部门）", "协办单位", "落实单位", "督办领导", "进度安排"])
    assert other.fields == ((2, "牵头单位"), (3, "协办单位"), (4, "责任单位"), (5, "督办领导"), (6, "完成时限"))


def test_a_table_needs_a_measure_and_a_unit_column_to_be_a_task_table():
    assert read_header(["序号", "指标名称", "2022年目标值", "2023年目标值"]) is None
    assert read_header(["序号", "具体措施", "完成时限"]) is None  # nobody is responsible: not a task table
    assert read_header(["工作任务", "责任单位", "备注说明", "联系人", "电话"]) is None  # mostly unknown columns
    columns = read_header(["编号", "工作任务", "责任单位", "工作目标"])
    assert columns.measure == 1 and columns.sections == () and columns.fields == ((2, "责任单位"), (3, "工作目标"))


def test_grid_rows_become_label_lines_fields_and_section_headings():
    grid = [
        HEADER,
        ["1", "提升开办便利度", "推行全程网办。", "县市场监管局", "县税务局\n县人社局", "2023年6月底前"],
        ["2", "提升开办便利度", "推广电子执照。", "县市场监管局", "", "2023年底前"],
        ["3", "优化审批服务", "推行联合审图。", "县住建局", "县自然资源局", "长期坚持"],
    ]
    rendered = render_grid(grid)
    assert rendered.lines == [
        "一、提升开办便利度",
        "1.推行全程网办。",
        "牵头单位：县市场监管局",
        "配合单位：县税务局、县人社局",
        "完成时限：2023年6月底前",
        "2.推广电子执照。",
        "牵头单位：县市场监管局",
        "完成时限：2023年底前",
        "二、优化审批服务",
        "3.推行联合审图。",
        "牵头单位：县住建局",
        "配合单位：县自然资源局",
        "完成时限：长期坚持",
    ]
    assert [row for _, _, row in rendered.rows] == [2, 3, 4]
    assert rendered.lines[rendered.rows[1][0] : rendered.rows[1][1]][0] == "2.推广电子执照。"


def test_a_two_row_header_and_a_heading_row_spanning_the_table():
    grid = [
        ["序号", "具体措施", "责任单位", "责任单位", "完成时限"],
        ["序号", "具体措施", "牵头单位", "配合单位", "完成时限"],
        ["（一）政务服务", "（一）政务服务", "（一）政务服务", "（一）政务服务", "（一）政务服务"],
        ["1", "压缩办理时限。", "县政务服务中心", "各乡镇", "年内"],
        ["2", "推行帮办代办。", "县政务服务中心", "", "年内"],
    ]
    rendered = render_grid(grid)
    assert rendered.lines[:3] == ["（一）政务服务", "1.压缩办理时限。", "牵头单位：县政务服务中心"]
    assert "配合单位：各乡镇" in rendered.lines


def test_numbers_follow_the_number_column_and_continue_where_it_is_empty():
    grid = [HEADER, ["7", "甲", "措施七。", "A局", "", ""], ["", "甲", "措施八。", "A局", "", ""], ["九", "甲", "措施九。", "A局", "", ""]]
    assert [line for line in render_grid(grid).lines if "措施" in line] == ["7.措施七。", "8.措施八。", "9.措施九。"]


def test_measures_opening_with_a_digit_take_a_label_that_still_reads_as_one():
    grid = [HEADER, ["1", "甲", "2023年底前建成平台。", "A局", "", ""], ["2", "甲", "推行网办。", "A局", "", ""]]
    assert render_grid(grid).lines[1:4:2] == ["1、2023年底前建成平台。", "2、推行网办。"]


def test_text_tables_in_each_form_render_alike_and_the_text_around_them_stays():
    rows = [
        HEADER,
        ["1", "提升开办便利度", "推行全程网办。", "县市场监管局", "县税务局", "2023年6月底前"],
        ["2", "", "推广电子执照。", "县市场监管局", "", "2023年底前"],
    ]
    before, after = "某某县任务清单\n为优化营商环境，制定本清单。", "本清单自印发之日起施行。"
    tab = "\n".join("\t".join(row) for row in rows)
    pipe = "\n".join("| " + " | ".join(row) + " |" for row in [rows[0], ["---"] * 6] + rows[1:])
    cells = "\n".join(cell for row in rows for cell in row if cell)
    results = [render_text_tables(f"{before}\n{table}\n{after}") for table in (tab, pipe, cells)]
    assert results[0].text == results[1].text == results[2].text
    text = results[0].text
    assert text.startswith(before + "\n一、提升开办便利度\n1.推行全程网办。\n") and text.endswith("\n" + after)
    assert "配合单位：县税务局" in text and text.count("配合单位") == 1
    start, end, table, row = results[0].rows[1]
    assert text[start:end] == "2.推广电子执照。\n牵头单位：县市场监管局\n完成时限：2023年底前" and (table, row) == (1, 3)


def test_text_without_a_task_table_is_left_alone():
    text = (
        "一、主要任务\n（一）优化服务。\n牵头单位：县政务服务中心\n责任单位：各乡镇\n"
        "| 区 | 指标 | 目标 |\n| 天山区 | 开办时间 | 1天 |\n序号\n指标\n目标值"
    )
    result = render_text_tables(text)
    assert result.text == text and result.rows == []
