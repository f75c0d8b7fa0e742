"""The report's stylesheet, inlined in the page: screen, phone and A4 print."""

CSS = """
:root{--ink:#1f2937;--mut:#6b7280;--line:#e5e7eb;--bg:#f8fafc;--card:#fff;
--pass:#2e7d32;--fail:#c62828;--unknown:#b7791f;--waived:#6b7280;--due:#1d4ed8;--na:#cbd5e1;
--accent:#1e3a8a}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--ink);line-height:1.55;font-size:15px;
font-family:system-ui,-apple-system,"Segoe UI","PingFang SC","Hiragino Sans GB",
"Microsoft YaHei","Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif}
main{max-width:1120px;margin:0 auto;padding:20px 16px 40px}
header.top{background:var(--accent);color:#fff;padding:22px 16px}
header.top .in{max-width:1120px;margin:0 auto}
header.top h1{margin:0 0 4px;font-size:1.55rem;line-height:1.3}
header.top p{margin:2px 0;opacity:.9;font-size:.92rem}
.warn{background:#fff7ed;border:1px solid #fdba74;color:#9a3412;padding:8px 12px;
border-radius:6px;margin:12px 0}
.banner{background:#fff7ed;border:1px solid #fdba74;border-left:6px solid #ea580c;
border-radius:10px;padding:10px 16px;margin:18px 0}
.banner b{color:#9a3412}
.banner ul{margin:4px 0 0;padding-left:1.2em}
.banner li{margin:2px 0}
.banner li.grave{color:var(--fail);font-weight:600}
dl.attest{display:grid;grid-template-columns:max-content 1fr;gap:0 12px;margin:8px 0 0;
font-size:.82rem;opacity:.92}
dl.attest dd{margin:0;word-break:break-all}
dl.attest code{color:inherit;font-size:.78rem}
nav.toc ol{columns:3 14em;margin:4px 0 10px;padding-left:1.6em;font-size:.9rem}
nav.toc a{color:var(--accent)}
p.rest{font-size:.82rem;line-height:1.7}
.cell.nw{white-space:nowrap;word-break:keep-all}
b.pass{color:var(--pass)}b.fail{color:var(--fail)}b.unknown{color:var(--unknown)}
section{background:var(--card);border:1px solid var(--line);border-radius:10px;
padding:16px 18px;margin:18px 0}
h2{font-size:1.2rem;margin:0 0 12px;color:var(--accent)}
h2 small{font-weight:normal;color:var(--mut);font-size:.8rem;margin-left:8px}
h3{font-size:1rem;margin:14px 0 6px}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:10px;margin:0}
.tile{border:1px solid var(--line);border-radius:8px;padding:10px 12px;background:#fff}
.tile b{display:block;font-size:1.7rem;line-height:1.2}
.tile span{color:var(--mut);font-size:.85rem}
.tile.fail b{color:var(--fail)}.tile.pass b{color:var(--pass)}.tile.unknown b{color:var(--unknown)}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;width:100%;font-size:.88rem}
th,td{padding:5px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{background:#eef2ff;font-weight:600;word-break:keep-all}
td:first-child{min-width:8em}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.tight th,.tight td{padding:4px 4px}
.tight table{font-size:.8rem}
.tight th,.tight th.n{word-break:keep-all;overflow-wrap:normal;white-space:normal}
.tight td:first-child{min-width:5em}
tr.total td{font-weight:700;border-top:2px solid #94a3b8}
.bar{display:inline-block;vertical-align:middle;margin-left:4px}
.legend{display:flex;flex-wrap:wrap;gap:4px 14px;font-size:.82rem;color:var(--mut);margin:6px 0 10px}
.legend i{display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:5px;
vertical-align:-1px}
.k-pass{background:var(--pass)}.k-fail{background:var(--fail)}.k-unknown{background:var(--unknown)}
.k-waived{background:var(--waived)}.k-not_yet_due{background:var(--due)}.k-na{background:var(--na)}
.fail{color:var(--fail)}.unknown{color:var(--unknown)}.mut{color:var(--mut)}
ul.gaps{margin:0;padding-left:1.1em}
ul.gaps li{margin:1px 0}
code,.cell{font-family:ui-monospace,"SFMono-Regular",Consolas,monospace;font-size:.82rem;
color:#334155;word-break:break-all}
.rule{border-top:1px solid var(--line);padding:10px 0}
.rule:first-of-type{border-top:0}
blockquote{margin:6px 0;padding:6px 12px;border-left:4px solid #93c5fd;background:#f1f5ff;
font-family:"Songti SC","SimSun","Noto Serif CJK SC",serif}
.fix{margin:6px 0;padding:6px 12px;border-left:4px solid #86efac;background:#f0fdf4}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:3px 14px;margin:0;font-size:.9rem}
dl.meta dt{color:var(--mut)}
dl.meta dd{margin:0;word-break:break-all}
figure{margin:12px 0}
figcaption{font-size:.85rem;color:var(--mut);margin-bottom:4px}
figure svg{width:100%;height:auto;max-width:760px}
footer{color:var(--mut);font-size:.8rem;text-align:center;margin-top:20px}
@media (max-width:640px){
body{font-size:14px}
main{padding:10px 8px 30px}
section{padding:12px 10px;border-radius:8px}
header.top h1{font-size:1.25rem}
.tile b{font-size:1.35rem}
dl.meta{grid-template-columns:1fr}
dl.meta dt{margin-top:6px}
th,td{padding:4px 5px}
td .full{display:none}
td:first-child{min-width:5em}
}
@page{size:A4;margin:14mm 12mm}
@media print{
body{background:#fff;font-size:10.5pt}
header.top{background:#fff;color:var(--ink);border-bottom:2px solid var(--accent);padding:0 0 8px}
main{max-width:none;padding:0}
section{border:0;padding:0;margin:14px 0;break-inside:auto}
.scroll{overflow:visible}
figure,svg,.tile,.tiles,.rule,blockquote,.fix,tr,thead{break-inside:avoid;page-break-inside:avoid}
h2,h3{break-after:avoid;page-break-after:avoid}
thead{display:table-header-group}
table{font-size:8.5pt}
.tight table{font-size:7.5pt}
th{background:#eef2ff;-webkit-print-color-adjust:exact;print-color-adjust:exact}
svg,.tile,.legend i{-webkit-print-color-adjust:exact;print-color-adjust:exact}
a{color:inherit;text-decoration:none}
.banner{border:1px solid #9a3412;border-left:6px solid #9a3412;break-inside:avoid}
dl.attest{opacity:1}
}
"""
