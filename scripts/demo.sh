#!/usr/bin/env bash
# The main job end to end on the samples: set up (idempotently), generate blank books from the
# roster, filled books from records, read the filled books back, import them into a store,
# flag incomplete reviews. Everything lands in demo-out/ (or the folder given as $1).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
OUT=${1:-demo-out}
case "$OUT" in ""|/|.|..) echo "输出文件夹不能是 $OUT" >&2; exit 2;; esac
rm -rf "$OUT"
mkdir -p "$OUT"
step() { printf '\n\033[1m== %s ==\033[0m\n' "$*"; }

step "1. 按花名册生成 2025 年度空白写实簿 (blank books from the roster: DOCX, XLSX, PDF, combined PDFs)"
cxzy blank --roster samples/roster.xlsx --year 2025 --out "$OUT/blank" --format docx,xlsx,pdf --combined

step "2. 按记录生成已填写实簿 (filled books from records)"
cxzy fill samples/records.json --out "$OUT/filled" --format docx,pdf,xlsx

step "3. 读回已填写实簿 (parse the filled books back)"
cxzy parse "$OUT/filled"
cxzy parse --json "$OUT/filled"/*.docx > "$OUT/parsed.json"
echo "JSON: $OUT/parsed.json"

step "4. 导入数据库 (import into the store)"
# each book was written in three formats; import one copy of each (the DOCX files)
cxzy import "$OUT/filled"/*.docx --db "$OUT/cxzy.db"

step "5. 校验领导点评与签字 (flag incomplete reviews and signatures)"
cxzy validate --db "$OUT/cxzy.db" || true
step "5b. 对照花名册检查覆盖面 (coverage against the roster; full list in findings.xlsx)"
cxzy validate --db "$OUT/cxzy.db" --roster samples/roster.xlsx --xlsx "$OUT/findings.xlsx" | tail -n 3 || true

step "6. 年度汇总报告与点评台账 (annual summary report and review ledger)"
cxzy report summary --db "$OUT/cxzy.db" --org 红旗村党总支 --year 2025 --roster samples/roster.xlsx \
  --out "$OUT/红旗村党总支_2025_年度总结.docx" --pdf
cxzy report ledger --db "$OUT/cxzy.db" --year 2025 --out "$OUT/点评台账_2025.xlsx"

step "完成 (done)"
echo "输出位于 / outputs are in: $OUT/"
echo "年度汇总报告 / summary report: $OUT/红旗村党总支_2025_年度总结.docx (.pdf)"
echo "核对界面 / review in the terminal UI: cxzy tui --db $OUT/cxzy.db"
find "$OUT" -maxdepth 1 -mindepth 1 | sort
