"""Error messages about opening input files: formats, damage, hostile shapes, size limits."""

from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    "file_not_found": ("找不到文件", "file not found"),
    "file_is_folder": ("这是文件夹，不是文件", "is a folder, not a file"),
    "file_cannot_open": ("无法打开：{reason}", "cannot open: {reason}"),
    "file_not_regular": (
        "不是普通文件（是设备、管道或套接字），拒绝读取",
        "not a regular file (a device, pipe or socket); refusing to read it",
    ),
    "file_empty": ("文件为空（0 字节）", "the file is empty (0 bytes)"),
    "file_empty_zip": (
        "文件已损坏或不完整（空的 zip）",
        "the file is damaged or truncated (an empty zip)",
    ),
    "file_binary": (
        "不是电子表格或 CSV 文件（二进制内容）",
        "not a spreadsheet or CSV file (binary content)",
    ),
    "file_pdf": ("这是 PDF 文件，不是电子表格", "a PDF file, not a spreadsheet"),
    "file_rtf": ("这是 RTF 文档，不是电子表格", "an RTF document, not a spreadsheet"),
    "file_excel_2003_xml": (
        "这是 Excel 2003 XML 表格；请用 Excel 或 WPS 打开后另存为 .xlsx",
        "an Excel 2003 XML spreadsheet; open it in Excel or WPS and save it as .xlsx",
    ),
    "file_html": (
        "这是以电子表格名称保存的网页（HTML），有些系统会这样导出；请用 Excel 或 WPS 打开后另存为 .xlsx",
        "a web page (HTML) with a spreadsheet name, as some systems export; open it in Excel or WPS and save it as .xlsx",
    ),
    "file_xml": (
        "这是 XML 文件，不是电子表格或 CSV 文件",
        "an XML file, not a spreadsheet or CSV file",
    ),
    "file_damaged_zip": (
        "文件已损坏或不完整（不是可读取的 .xlsx/.ods）",
        "the file is damaged or truncated (not a readable .xlsx/.ods)",
    ),
    "file_word": ("这是 Word 文档，不是工作簿", "a Word document, not a workbook"),
    "file_powerpoint": ("这是 PowerPoint 文件，不是工作簿", "a PowerPoint file, not a workbook"),
    "file_zip_without_workbook": (
        "这是 zip 压缩文件，其中没有工作簿",
        "a zip file without a workbook in it",
    ),
    "limit_hard_cells": (
        "硬性上限 {limit:,}，任何选项都不能提高",
        "hard limit {limit:,}, which no option lifts",
    ),
    "limit_max_cells": (
        "上限 {limit:,}；可用 --max-cells 提高",
        "limit {limit:,}; raise it with --max-cells",
    ),
    "sheet_too_many_cells": (
        "拒绝读取 {rows:,} 行 × {cols:,} 列 = {cells:,} 个单元格的工作表（{limit}）",
        "refusing a sheet of {rows:,} rows × {cols:,} columns = {cells:,} cells ({limit})",
    ),
    "zip_two_directories": (
        "zip 目录可按两种方式读取（{detail}；文件已损坏或被伪造）",
        "the zip's directory can be read two ways ({detail}; damaged or forged)",
    ),
    "zip_too_many_parts": (
        "工作簿的组成部分超过 {limit} 个",
        "the workbook has more than {limit} parts",
    ),
    "zip_part_twice": (
        "zip 中部件 {part} 出现不止一次（文件已损坏或被伪造）",
        "the zip holds part {part} more than once (damaged or forged)",
    ),
    "zip_bomb": (
        "拒绝疑似 zip 炸弹：部件 {part} 解压后放大 {ratio}× 至 {mb} MB（上限 {limit}×）",
        "refusing a suspected zip bomb: part {part} expands {ratio}× to {mb} MB (limit {limit}×)",
    ),
    "zip_too_large": (
        "拒绝解压后达 {mb} MB 的工作簿（上限 {limit} MB）",
        "refusing a workbook that expands to {mb} MB (limit {limit} MB)",
    ),
    "sst_forged_count": (
        "共享字符串表声称在 {size:,} 字节中有 {unique:,} 个字符串（文件已损坏或被伪造）",
        "the shared-strings table claims {unique:,} strings in {size:,} bytes (damaged or forged)",
    ),
    "sst_too_many": (
        "拒绝含 {unique:,} 个不同字符串的工作簿（上限 {limit:,}）",
        "refusing a workbook with {unique:,} distinct strings (limit {limit:,})",
    ),
    "sst_no_root": (
        "共享字符串部件在前 {mb} MB 内没有根元素（文件已损坏或被伪造）",
        "the shared-strings part has no root element in its first {mb} MB (damaged or forged)",
    ),
    "ods_table_unclosed": (
        "文件已损坏：content.xml 中有一个表格没有结束",
        "the file is damaged: a table in content.xml is never closed",
    ),
    "workbook_too_many_cells": (
        "拒绝各工作表共含 {cells:,} 个单元格的工作簿（上限 {limit:,}：打开 .xls 或 .ods 时会一次展开所有工作表；--max-cells 可提高上限）",
        "refusing a workbook whose sheets hold {cells:,} cells in all (limit {limit:,}: opening an .xls or .ods builds every sheet at once; --max-cells raises it)",
    ),
    "csv_cannot_decode": (
        "无法按 UTF-8 或 GBK/GB18030 解码该 CSV 文件",
        "cannot decode the CSV file as UTF-8 or GBK/GB18030",
    ),
    "csv_too_large": ("CSV 文件大于 {mb} MB", "CSV file is larger than {mb} MB"),
    "csv_quote_unclosed": (
        "CSV 格式错误：第 {line} 行的引号没有闭合，会吞掉文件其余部分",
        "malformed CSV: a quote opened on line {line} is never closed, so it would swallow the rest of the file",
    ),
    "csv_malformed": ("CSV 格式错误：{detail}", "malformed CSV: {detail}"),
    "csv_too_wide": (
        "第 {row} 行有 {cols:,} 列，超过电子表格最多的 {limit:,} 列",
        "row {row} has {cols:,} columns, more than the {limit:,} a spreadsheet can have",
    ),
    "sheet_bad_reference": (
        "单元格引用格式错误或超出范围（工作表已损坏或被伪造）",
        "a cell reference is malformed or out of range (damaged or forged sheet)",
    ),
    "file_damaged_detail": (
        "文件已损坏或不完整（{detail}）",
        "the file is damaged or truncated ({detail})",
    ),
    "reader_gave_up": (
        "工作簿已损坏，读取程序放弃（{detail}）",
        "the workbook is damaged; the reader gave up ({detail})",
    ),
    "workbook_password": (
        "工作簿有密码保护；请另存一份不加密的副本再检查",
        "the workbook is password-protected; save an unprotected copy and check that",
    ),
    "workbook_xml_damaged": (
        "工作簿的 XML 已损坏或不安全（{detail}）",
        "the workbook's XML is damaged or unsafe ({detail})",
    ),
    "sheet_too_large": (
        "拒绝读取过大的工作表（{detail}）",
        "refusing a sheet that is too large ({detail})",
    ),
    "workbook_unreadable": ("无法读取工作簿（{detail}）", "cannot read the workbook ({detail})"),
    "xls_unreadable": (
        "不是可读取的 .xls 工作簿：{detail}",
        "not a readable .xls workbook: {detail}",
    ),
    "xls_damaged": (".xls 文件已损坏或不完整", "the .xls file is damaged or truncated"),
    "xls_string_table": (
        "字符串表声称有 {unique:,} 个字符串",
        "the string table claims {unique:,} strings",
    ),
    "cfb_sector_table_short": (
        "扇区表被截断（文件不完整？）",
        "a sector table is cut short (truncated?)",
    ),
    "cfb_broken_chain": ("扇区链断裂", "a broken sector chain"),
    "cfb_truncated": ("文件不完整", "the file is truncated"),
    "cfb_bad_header": ("复合文件头错误", "bad compound-file header"),
    "cfb_too_many_sectors": (
        "复合文件头所记扇区数多于文件实有",
        "the compound-file header counts more sectors than the file has",
    ),
    "cfb_impossible_table": (
        "复合文件头要求一个不可能的扇区表",
        "the compound-file header asks for an impossible sector table",
    ),
    "cfb_sector_past_end": (
        "有扇区位于文件末尾之后（文件不完整？）",
        "a sector lies past the end of the file (truncated?)",
    ),
    "cfb_difat_loop": (
        "复合文件的 DIFAT 链成环（文件已损坏或被伪造）",
        "the compound file's DIFAT chain loops (damaged or forged)",
    ),
    "cfb_fat_sectors": (
        "复合文件所列 FAT 扇区多于实有",
        "the compound file names more FAT sectors than it holds",
    ),
    "cfb_no_directory": ("没有目录", "no directory"),
    "cfb_no_workbook": ("没有 Workbook 数据流", "no Workbook stream"),
    "cfb_stream_too_large": (
        "有数据流声称大于整个文件",
        "a stream claims to be larger than the file",
    ),
    "cfb_no_minifat": (
        "有小数据流但没有迷你流分配表",
        "a small stream but no mini-stream allocation table",
    ),
    "cfb_mini_past_end": (
        "有迷你扇区位于迷你流末尾之后",
        "a mini sector lies past the end of the mini stream",
    ),
    "workbook_no_sheets": ("工作簿没有工作表", "the workbook has no sheets"),
}
