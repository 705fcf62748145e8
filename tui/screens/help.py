"""The help screen: what each key does, screen by screen."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

HELP = """\
[b]写实簿核对 · 按键说明[/b]

[b]全局[/b]
  F1 / ?        本帮助
  Ctrl+P        命令面板（输入命令名称搜索）
  Ctrl+Q        退出

[b]写实簿列表[/b]
  ↑ ↓ PgUp PgDn Home End   移动
  Enter / 双击   打开写实簿
  /              筛选（姓名、党组织或正文，空格分隔多个词）
  f              只看有问题的
  u              只看未核对的
  t              显示/隐藏组织树（选中年度或党组织即缩小范围）
  s / S          按下一列排序 / 倒序（也可点击表头）
  n              跳到下一本有问题的
  x              把当前列表及问题导出为 XLSX

[b]写实簿[/b]
  Tab / Shift+Tab  在栏目间移动
  Enter / e      编辑当前栏目（文本框中 Ctrl+S 保存，Esc 取消）
  j              转到问题列表；在问题上按 Enter 跳到对应栏目
  u / Ctrl+Z     撤销最近一次修改
  c              标记为已核对（可填备注）
  g              评定等次（先锋、合格、基本合格、后进，用于“星级先锋”公示）
  n / p          下一本 / 上一本有问题的写实簿
  d              把改正后的写实簿导出为 DOCX
  o              看原件：截出当前栏目（或“识别不确定的栏目”中选中的一项）在 PDF/扫描件上的位置，
                 用本机看图程序打开（浏览器界面中直接在新标签页显示；可用环境变量 CXZY_VIEWER 指定看图程序）
  Esc            返回列表

扫描件、照片和 PDF 读出的写实簿，打开时先列出识别不确定的栏目（置信度由低到高）；Enter 跳到该栏目。

领导点评下方标出三要素：[black on green]成绩[/]、[black on yellow]不足[/]、[black on cyan]努力方向[/]，
正文中对应的语句以同样颜色标出；[bold white on red]✗未写明[/] 表示缺少该要素。
"""


class HelpScreen(ModalScreen[None]):
    """Esc, F1 or q closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f1,q,question_mark", "close", "关闭")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(HELP, id="help-text")

    def action_close(self) -> None:
        self.dismiss(None)
