<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US" sourcelanguage="zh_CN">
<context>
    <name>ActionsScreen</name>
    <message>
        <source>只看未完成的</source>
        <translation>Open items only</translation>
    </message>
    <message>
        <source>落实事项</source>
        <translation>Action item</translation>
    </message>
    <message>
        <source>承办单位</source>
        <translation>Owner unit</translation>
    </message>
    <message>
        <source>责任人</source>
        <translation>Person responsible</translation>
    </message>
    <message>
        <source>完成时限</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>进展情况</source>
        <translation>Progress note</translation>
    </message>
    <message>
        <source>登记进展</source>
        <translation>Record progress</translation>
    </message>
    <message>
        <source>完成</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>进展</source>
        <translation>Progress</translation>
    </message>
    <message>
        <source>议题办结</source>
        <translation>Resolve topic</translation>
    </message>
    <message>
        <source>回访情况</source>
        <translation>Visit notes</translation>
    </message>
    <message>
        <source>记录回访</source>
        <translation>Record visit</translation>
    </message>
    <message>
        <source>议题办结与回访</source>
        <translation>Resolution and follow-up visit</translation>
    </message>
    <message>
        <source>按完成时限排列，显示前 {shown} 项，共 {total} 项</source>
        <translation>By deadline: the first {shown} of {total} shown</translation>
    </message>
    <message>
        <source>已逾期</source>
        <translation>overdue</translation>
    </message>
    <message>
        <source>在上面的表里选中一项落实事项，这里会显示它的进展。</source>
        <translation>Select an action item in the table above to see its progress here.</translation>
    </message>
    <message>
        <source>：{title}（{status}）</source>
        <translation>: {title} ({status})</translation>
    </message>
    <message>
        <source>议题办结以后才能记录回访。</source>
        <translation>A follow-up visit can be recorded once the topic is resolved.</translation>
    </message>
    <message>
        <source>落实事项已完成：{title}</source>
        <translation>Action item done: {title}</translation>
    </message>
</context>
<context>
    <name>ConflictInbox</name>
    <message>
        <source>冲突：两台电脑改了同一内容</source>
        <translation>Conflicts: the same thing changed on two PCs</translation>
    </message>
    <message>
        <source>同一项内容在两台电脑上都改过。现在用的是服务器上的版本。请逐条看一看，决定保留哪一个。</source>
        <translation>These were changed on two PCs. The server&apos;s version is in use now. Look at each one and decide which version to keep.</translation>
    </message>
    <message>
        <source>保留本机的</source>
        <translation>Keep this PC&apos;s</translation>
    </message>
    <message>
        <source>保留服务器的</source>
        <translation>Keep the server&apos;s</translation>
    </message>
    <message>
        <source>本电脑上的版本</source>
        <translation>Version on this PC</translation>
    </message>
    <message>
        <source>服务器上的版本（现在用的）</source>
        <translation>Server&apos;s version (in use now)</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>没有需要处理的冲突。</source>
        <translation>No conflicts to resolve.</translation>
    </message>
    <message>
        <source>{what}的“{field}”</source>
        <translation>{what}: {field}</translation>
    </message>
</context>
<context>
    <name>ContactsScreen</name>
    <message>
        <source>按姓名或单位查找</source>
        <translation>Find by name or unit</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>单位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <source>职务</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>身份</source>
        <translation>Identity</translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>添加联系人</source>
        <translation>Add contact</translation>
    </message>
</context>
<context>
    <name>EnrolBox</name>
    <message>
        <source>县服务器</source>
        <translation>County server</translation>
    </message>
    <message>
        <source>例如 https://xieshang.example.gov.cn</source>
        <translation>e.g. https://xieshang.example.gov.cn</translation>
    </message>
    <message>
        <source>县协商办给的注册码，如 ABCD-EFGH-JKLM</source>
        <translation>Code from the county office, e.g. ABCD-EFGH-JKLM</translation>
    </message>
    <message>
        <source>注册</source>
        <translation>Enrol</translation>
    </message>
    <message>
        <source>保存时间</source>
        <translation>Save time</translation>
    </message>
    <message>
        <source>服务器地址</source>
        <translation>Server address</translation>
    </message>
    <message>
        <source>注册码</source>
        <translation>One-time code</translation>
    </message>
    <message>
        <source>每天同步时间</source>
        <translation>Daily sync time</translation>
    </message>
    <message>
        <source>已注册到县服务器。</source>
        <translation>Enrolled with the county server.</translation>
    </message>
    <message>
        <source>每天到了这个时间，程序会自动把今天的工作同步到县服务器；联网恢复时也会自动同步。</source>
        <translation>At this time every day the program sends the day&apos;s work to the county server by itself; also when the network comes back.</translation>
    </message>
    <message>
        <source>重新注册</source>
        <translation>Enrol again</translation>
    </message>
    <message>
        <source>未注册到县服务器：现在不会同步，所有工作都保存在本电脑上。请向县（区）协商办要服务器地址和一次性注册码，填在下面，再点“注册”。</source>
        <translation>Not enrolled with the county server: nothing is synced yet, all work is kept on this PC. Ask the county consultation office for the server address and a one-time code, enter them below and click &quot;Enrol&quot;.</translation>
    </message>
    <message>
        <source>注册以后，每天到了这个时间程序会自动同步。</source>
        <translation>Once enrolled, the program syncs by itself at this time every day.</translation>
    </message>
    <message>
        <source>请先填写县服务器地址（县协商办会告诉您）。</source>
        <translation>Please enter the county server address first (the county office will tell you).</translation>
    </message>
    <message>
        <source>请填写县协商办给的一次性注册码。</source>
        <translation>Please enter the one-time code from the county office.</translation>
    </message>
    <message>
        <source>正在连接县服务器……</source>
        <translation>Connecting to the county server…</translation>
    </message>
    <message>
        <source>注册成功：本电脑已登记为“{name}”。以后每天会自动同步，也可以随时点工作台上的“结束今日工作并同步”。</source>
        <translation>Enrolled: this PC now belongs to &quot;{name}&quot;. It syncs by itself every day, and any time you click &quot;End the day and sync&quot; on Today.</translation>
    </message>
    <message>
        <source>连不上县服务器（{url}）。请检查地址有没有填错、这台电脑有没有联网，然后再点“注册”。</source>
        <translation>Cannot reach the county server ({url}). Check the address and that this PC is online, then click &quot;Enrol&quot; again.</translation>
    </message>
    <message>
        <source>注册码不对，或者已经用过、过期了。请核对县协商办给的注册码（形如 ABCD-EFGH-JKLM），或请他们重新发一个。</source>
        <translation>The code is wrong, already used or expired. Check the code from the county office (like ABCD-EFGH-JKLM), or ask them for a new one.</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <source>导入12345工单</source>
        <translation>Import 12345 work orders</translation>
    </message>
    <message>
        <source>还没有选择文件</source>
        <translation>No file chosen yet</translation>
    </message>
    <message>
        <source>选择文件…</source>
        <translation>Choose file…</translation>
    </message>
    <message>
        <source>工单文件</source>
        <translation>Work-order file</translation>
    </message>
    <message>
        <source>来源</source>
        <translation>Source</translation>
    </message>
    <message>
        <source>支持12345热线或网格平台导出的 Excel（.xlsx）和 CSV 文件。先看预览，确认无误再导入；已导入过的工单不会重复导入。</source>
        <translation>Excel (.xlsx) and CSV files exported from the 12345 hotline or the grid platform. Check the preview first, then import; work orders imported before are never imported twice.</translation>
    </message>
    <message>
        <source>行号</source>
        <translation>Row</translation>
    </message>
    <message>
        <source>没有导入的原因</source>
        <translation>Why it was not imported</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>导入</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>选择工单文件</source>
        <translation>Choose a work-order file</translation>
    </message>
    <message>
        <source>工单文件 (*.xlsx *.csv *.txt)</source>
        <translation>Work-order files (*.xlsx *.csv *.txt)</translation>
    </message>
    <message>
        <source>正在读取文件……</source>
        <translation>Reading the file…</translation>
    </message>
    <message>
        <source>将导入 {n} 个新议题。</source>
        <translation>{n} new topics will be imported. </translation>
    </message>
    <message>
        <source>这个文件里没有可以导入的新工单。</source>
        <translation>This file has no new work orders to import. </translation>
    </message>
    <message>
        <source>{n} 个工单以前已经导入过，这次会跳过。</source>
        <translation>{n} work orders were imported before and will be skipped. </translation>
    </message>
    <message>
        <source>{n} 行无法导入，原因见下表。</source>
        <translation>Rows that cannot be imported: {n}; the reasons are listed below.</translation>
    </message>
    <message>
        <source>工单编号</source>
        <translation>Ticket no.</translation>
    </message>
    <message>
        <source>受理时间</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>诉求标题</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>地址</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>（只显示前 {n} 条）</source>
        <translation> (first {n} shown)</translation>
    </message>
    <message>
        <source>将要导入的工单</source>
        <translation>Work orders to be imported</translation>
    </message>
    <message>
        <source>没有导入的行：{n}</source>
        <translation>Rows not imported: {n}</translation>
    </message>
    <message>
        <source>正在导入……</source>
        <translation>Importing…</translation>
    </message>
    <message>
        <source>正在写入，请稍候</source>
        <translation>Writing, please wait</translation>
    </message>
    <message>
        <source>已导入 {n} 个新议题。</source>
        <translation>Imported {n} new topics. </translation>
    </message>
    <message>
        <source>跳过以前导入过的 {n} 个。</source>
        <translation>Skipped {n} imported before. </translation>
    </message>
    <message>
        <source>{n} 行没有导入，原因见下表，可以改好文件后再导入一次。</source>
        <translation>{n} rows were not imported (reasons below); correct the file and import it again.</translation>
    </message>
    <message>
        <source>已取消，没有导入任何内容。</source>
        <translation>Cancelled; nothing was imported.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>工作台</source>
        <translation>Today</translation>
    </message>
    <message>
        <source>议题</source>
        <translation>Topics</translation>
    </message>
    <message>
        <source>议事会</source>
        <translation>Meetings</translation>
    </message>
    <message>
        <source>落实</source>
        <translation>Follow-up</translation>
    </message>
    <message>
        <source>统计</source>
        <translation>Statistics</translation>
    </message>
    <message>
        <source>通讯录</source>
        <translation>Contacts</translation>
    </message>
    <message>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>正在打开数据文件……</source>
        <translation>Opening the data file…</translation>
    </message>
    <message>
        <source>未同步的更改：—</source>
        <translation>Unsent changes: —</translation>
    </message>
    <message>
        <source>未同步的更改：{n}</source>
        <translation>Unsent changes: {n}</translation>
    </message>
    <message>
        <source>正在处理……</source>
        <translation>Working…</translation>
    </message>
    <message>
        <source>议事 · 协商议事室</source>
        <translation>Yishi · Consultation Room</translation>
    </message>
    <message>
        <source>恢复完成</source>
        <translation>Restored</translation>
    </message>
    <message>
        <source>已用备份恢复。恢复前的数据另存在备份文件夹中。</source>
        <translation>The backup has been restored. The data from before the restore is kept in the backup folder.</translation>
    </message>
    <message>
        <source>同步</source>
        <translation>Sync</translation>
    </message>
    <message>
        <source>还有更改没有同步</source>
        <translation>Changes not yet synced</translation>
    </message>
    <message>
        <source>有 {n} 条更改还没有同步到县服务器（都已保存在本电脑上，不会丢失）。要先同步再关闭吗？</source>
        <translation>{n} changes have not been synced to the county server yet (they are saved on this PC and will not be lost). Sync before closing?</translation>
    </message>
    <message>
        <source>同步后关闭</source>
        <translation>Sync, then close</translation>
    </message>
    <message>
        <source>直接关闭</source>
        <translation>Close now</translation>
    </message>
    <message>
        <source>不关闭</source>
        <translation>Don&apos;t close</translation>
    </message>
</context>
<context>
    <name>MeetingsScreen</name>
    <message>
        <source>安排新的议事会</source>
        <translation>Schedule a new meeting</translation>
    </message>
    <message>
        <source>保存基本信息</source>
        <translation>Save details</translation>
    </message>
    <message>
        <source>会议名称</source>
        <translation>Meeting title</translation>
    </message>
    <message>
        <source>协商形式</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>地点</source>
        <translation>Location</translation>
    </message>
    <message>
        <source>召集人</source>
        <translation>Convenor</translation>
    </message>
    <message>
        <source>主持人</source>
        <translation>Host</translation>
    </message>
    <message>
        <source>记录人</source>
        <translation>Recorder</translation>
    </message>
    <message>
        <source>开始会议</source>
        <translation>Start meeting</translation>
    </message>
    <message>
        <source>结束会议</source>
        <translation>End meeting</translation>
    </message>
    <message>
        <source>会议进程</source>
        <translation>Progress</translation>
    </message>
    <message>
        <source>加入议程</source>
        <translation>Add to agenda</translation>
    </message>
    <message>
        <source>按住议程拖动可以调整顺序。可加入的议题是已受理、尚未排期的议题。</source>
        <translation>Drag agenda items to reorder them. Topics you can add are the accepted ones not yet scheduled.</translation>
    </message>
    <message>
        <source>基本信息</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>议程</source>
        <translation>Agenda</translation>
    </message>
    <message>
        <source>参会人员与签到</source>
        <translation>Participants and sign-in</translation>
    </message>
    <message>
        <source>会议记录</source>
        <translation>Minutes</translation>
    </message>
    <message>
        <source>打印议程</source>
        <translation>Print agenda</translation>
    </message>
    <message>
        <source>打印签到表</source>
        <translation>Print sign-in sheet</translation>
    </message>
    <message>
        <source>打印会议记录</source>
        <translation>Print minutes</translation>
    </message>
    <message>
        <source>（{n}分钟）</source>
        <translation> ({n} min)</translation>
    </message>
</context>
<context>
    <name>MergeDialog</name>
    <message>
        <source>合并议题</source>
        <translation>Merge topic</translation>
    </message>
    <message>
        <source>把“{title}”并入下面选中的议题。合并后，提出人可以在原议题的查询页看到合并去向。</source>
        <translation>Merge “{title}” into the topic selected below. The submitter will see where it went on the tracking page.</translation>
    </message>
    <message>
        <source>正在查找相似的议题……</source>
        <translation>Looking for similar topics…</translation>
    </message>
    <message>
        <source>合并</source>
        <translation>Merge</translation>
    </message>
    <message>
        <source>没有可以并入的议题。</source>
        <translation>There is no topic to merge into.</translation>
    </message>
</context>
<context>
    <name>MinutesTab</name>
    <message>
        <source>发言人</source>
        <translation>Speaker</translation>
    </message>
    <message>
        <source>身份，如 居民代表</source>
        <translation>Identity, e.g. residents&apos; representative</translation>
    </message>
    <message>
        <source>发言要点</source>
        <translation>What was said</translation>
    </message>
    <message>
        <source>记下发言</source>
        <translation>Add statement</translation>
    </message>
    <message>
        <source>协商结果 / 议定事项</source>
        <translation>Outcome / agreed matter</translation>
    </message>
    <message>
        <source>赞成</source>
        <translation>For</translation>
    </message>
    <message>
        <source>反对</source>
        <translation>Against</translation>
    </message>
    <message>
        <source>弃权</source>
        <translation>Abstain</translation>
    </message>
    <message>
        <source>记下协商结果</source>
        <translation>Add outcome</translation>
    </message>
    <message>
        <source>落实事项</source>
        <translation>Action item</translation>
    </message>
    <message>
        <source>承办单位</source>
        <translation>Owner unit</translation>
    </message>
    <message>
        <source>责任人</source>
        <translation>Person responsible</translation>
    </message>
    <message>
        <source>加入落实事项</source>
        <translation>Add action item</translation>
    </message>
    <message>
        <source>逐项记录</source>
        <translation>Per agenda item</translation>
    </message>
    <message>
        <source>会议认为……（边打字边自动保存）</source>
        <translation>The meeting agreed that… (saved as you type)</translation>
    </message>
    <message>
        <source>定稿</source>
        <translation>Finalize</translation>
    </message>
    <message>
        <source>勘误…</source>
        <translation>Correction…</translation>
    </message>
    <message>
        <source>会议纪要</source>
        <translation>Summary</translation>
    </message>
    <message>
        <source>已定稿，内容不能再修改；发现错误请点“勘误…”。</source>
        <translation>Finalized: the minutes can no longer be changed. Found a mistake? Click &quot;Correction…&quot;.</translation>
    </message>
    <message>
        <source>已有勘误 {n} 条，打印会议记录时一并印出。</source>
        <translation> Corrections so far: {n}; they are printed with the minutes.</translation>
    </message>
    <message>
        <source>草稿：输入的内容会自动保存。</source>
        <translation>Draft: what you type is saved automatically.</translation>
    </message>
    <message>
        <source>勘误</source>
        <translation>Correction</translation>
    </message>
    <message>
        <source>请写明哪里有误、应当怎样更正。勘误另行保存，原来的会议记录一字不改；打印会议记录时会一并印出。</source>
        <translation>Say what is wrong and how it should read. The correction is kept separately and the original minutes stay exactly as they are; both are printed together.</translation>
    </message>
    <message>
        <source>保存勘误</source>
        <translation>Save correction</translation>
    </message>
    <message>
        <source>赞成{a} 反对{b} 弃权{c}</source>
        <translation>for {a}, against {b}, abstain {c}</translation>
    </message>
    <message>
        <source>协商结果：</source>
        <translation>Outcome: </translation>
    </message>
    <message>
        <source>定稿会议记录</source>
        <translation>Finalize the minutes</translation>
    </message>
    <message>
        <source>定稿后，会议记录就不能再修改了，以后发现错误只能做勘误。确定现在定稿吗？</source>
        <translation>Once finalized, the minutes can no longer be changed; a mistake found later can only be fixed by a correction. Finalize now?</translation>
    </message>
    <message>
        <source>确定定稿</source>
        <translation>Finalize</translation>
    </message>
    <message>
        <source>再看看</source>
        <translation>Not yet</translation>
    </message>
</context>
<context>
    <name>NewTopicDialog</name>
    <message>
        <source>登记新议题</source>
        <translation>Record new topic</translation>
    </message>
    <message>
        <source>一句话说清是什么事，例如：运河步道缺少公共厕所</source>
        <translation>Say what it is in one line, e.g. No public toilet along the canal walk</translation>
    </message>
    <message>
        <source>从列表里选，或自己填写</source>
        <translation>Pick from the list or type your own</translation>
    </message>
    <message>
        <source>小区、楼栋或路段</source>
        <translation>Estate, building or road section</translation>
    </message>
    <message>
        <source>只在本机保存，公开时隐去</source>
        <translation>Kept on this PC only; masked on anything public</translation>
    </message>
    <message>
        <source>反映的具体情况、涉及多少人、希望怎么解决</source>
        <translation>What exactly happens, how many people it affects, what they hope for</translation>
    </message>
    <message>
        <source>议题标题</source>
        <translation>Topic title</translation>
    </message>
    <message>
        <source>议题来源</source>
        <translation>Topic source</translation>
    </message>
    <message>
        <source>类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>地点</source>
        <translation>Location</translation>
    </message>
    <message>
        <source>提出人</source>
        <translation>Submitted by</translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>收到时间</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>情况描述</source>
        <translation>Description</translation>
    </message>
    <message>
        <source>已找回上次没有登记完的内容，请核对后登记。</source>
        <translation>Restored what you had typed last time but not yet recorded. Please check it, then record.</translation>
    </message>
    <message>
        <source>登记</source>
        <translation>Record</translation>
    </message>
</context>
<context>
    <name>OpeningScreen</name>
    <message>
        <source>正在打开数据文件，请稍候……</source>
        <translation>Opening the data file, please wait…</translation>
    </message>
</context>
<context>
    <name>PdfPreviewDialog</name>
    <message>
        <source>打印…</source>
        <translation>Print…</translation>
    </message>
    <message>
        <source>另存为PDF…</source>
        <translation>Save as PDF…</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>另存为PDF</source>
        <translation>Save as PDF</translation>
    </message>
</context>
<context>
    <name>PeopleTab</name>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>单位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <source>身份</source>
        <translation>Identity</translation>
    </message>
    <message>
        <source>出席/列席</source>
        <translation>Attending/observer</translation>
    </message>
    <message>
        <source>签到</source>
        <translation>Signed in</translation>
    </message>
    <message>
        <source>加入参会人员</source>
        <translation>Add participant</translation>
    </message>
</context>
<context>
    <name>PlaceholderScreen</name>
    <message>
        <source>这一部分还在建设中，很快就能使用。</source>
        <translation>This part is still being built and will be ready soon.</translation>
    </message>
</context>
<context>
    <name>RefusedChanges</name>
    <message>
        <source>办理经过</source>
        <translation>Topic history entry</translation>
    </message>
    <message>
        <source>落实进展</source>
        <translation>Progress note</translation>
    </message>
    <message>
        <source>照片和附件</source>
        <translation>Photo or attachment</translation>
    </message>
    <message>
        <source>被退回的修改：{n}</source>
        <translation>Changes sent back: {n}</translation>
    </message>
    <message>
        <source>被退回的修改</source>
        <translation>Changes sent back</translation>
    </message>
    <message>
        <source>县服务器没有接受下面这些修改。它们都还保存在本电脑上，没有丢失。请逐条看看服务器说的原因，再决定怎么办。</source>
        <translation>The county server did not accept the changes below. They are all still saved on this PC; nothing is lost. Read the server&apos;s reason for each one, then decide what to do.</translation>
    </message>
    <message>
        <source>县服务器说的原因</source>
        <translation>What the county server said</translation>
    </message>
    <message>
        <source>重新发送</source>
        <translation>Send again</translation>
    </message>
    <message>
        <source>放弃这条修改</source>
        <translation>Give up this change</translation>
    </message>
    <message>
        <source>改好后重新发送：先按上面的原因把内容改好（或等县里处理好），再点“重新发送”。下次同步时会再发给县服务器。</source>
        <translation>Fix it and send it again: first put right what the reason above says (or wait until the county has sorted it out), then click &quot;Send again&quot;. The next sync sends it to the county server.</translation>
    </message>
    <message>
        <source>怎么办</source>
        <translation>What to do</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>没有被退回的修改。</source>
        <translation>No changes were sent back.</translation>
    </message>
    <message>
        <source>修改于 {time}</source>
        <translation>Changed on {time}</translation>
    </message>
    <message>
        <source>这是在本电脑上新建的记录，县服务器上还没有它。</source>
        <translation>This is a new record made on this PC; the county server does not have it yet.</translation>
    </message>
    <message>
        <source>县服务器上已有这条记录，退回的是本电脑上的这次修改。</source>
        <translation>The county server has this record; what was sent back is this PC&apos;s change to it.</translation>
    </message>
    <message>
        <source>改动的内容：{fields}</source>
        <translation> Changed: {fields}</translation>
    </message>
    <message>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <source>（县服务器没有说明原因）</source>
        <translation>(the county server gave no reason)</translation>
    </message>
    <message>
        <source>确实不要了：点“放弃这条修改”。</source>
        <translation>If you really do not want it: click &quot;Give up this change&quot;. </translation>
    </message>
    <message>
        <source>这条记录将从本电脑删除。</source>
        <translation>This record will be deleted from this PC.</translation>
    </message>
    <message>
        <source>本电脑上的这次修改将被丢弃，下次同步时恢复为服务器上的内容。</source>
        <translation>This PC&apos;s change will be dropped; the next sync brings back what the server has.</translation>
    </message>
    <message>
        <source>“{name}”已放回待发送的修改，下次同步时发送。</source>
        <translation>&quot;{name}&quot; is back among the changes to send; the next sync sends it.</translation>
    </message>
    <message>
        <source>{what}：{name}</source>
        <translation>{what}: {name}</translation>
    </message>
    <message>
        <source>{what}“{name}”</source>
        <translation>{what} &quot;{name}&quot;</translation>
    </message>
    <message>
        <source>确定放弃{what}的修改吗？</source>
        <translation>Give up the change to {what}?</translation>
    </message>
    <message>
        <source>删除后找不回来。</source>
        <translation> Once deleted, it cannot be recovered.</translation>
    </message>
    <message>
        <source>确定放弃</source>
        <translation>Give it up</translation>
    </message>
    <message>
        <source>不放弃</source>
        <translation>Keep it</translation>
    </message>
    <message>
        <source>已放弃“{name}”的修改。</source>
        <translation>The change to &quot;{name}&quot; was given up.</translation>
    </message>
    <message>
        <source>这条修改已经处理过了（可能是在另一个窗口或命令行里），列表已更新。</source>
        <translation>This change was already dealt with (perhaps in another window or on the command line); the list is up to date now.</translation>
    </message>
</context>
<context>
    <name>RoomSetupDialog</name>
    <message>
        <source>设置本议事室</source>
        <translation>Set up this room</translation>
    </message>
    <message>
        <source>欢迎使用议事。第一次使用，请填写本议事室的信息。议事室编码由县协商办提供，印在二维码海报上。</source>
        <translation>Welcome to Yishi. As this is the first start, please enter this room&apos;s details. The room code comes from the county consultation office and is printed on the QR poster.</translation>
    </message>
    <message>
        <source>例如：水渡口社区协商议事室</source>
        <translation>e.g. Shuidukou Community Consultation Room</translation>
    </message>
    <message>
        <source>议事室编码</source>
        <translation>Room code</translation>
    </message>
    <message>
        <source>议事室名称</source>
        <translation>Room name</translation>
    </message>
    <message>
        <source>所属镇/街道</source>
        <translation>Township/street</translation>
    </message>
    <message>
        <source>所属县/区</source>
        <translation>County/district</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
</context>
<context>
    <name>SettingsScreen</name>
    <message>
        <source>本议事室</source>
        <translation>This room</translation>
    </message>
    <message>
        <source>大字模式</source>
        <translation>Large font</translation>
    </message>
    <message>
        <source>显示</source>
        <translation>Display</translation>
    </message>
    <message>
        <source>界面语言</source>
        <translation>Language</translation>
    </message>
    <message>
        <source>打印本议事室的二维码海报</source>
        <translation>Print this room&apos;s QR poster</translation>
    </message>
    <message>
        <source>立即备份</source>
        <translation>Back up now</translation>
    </message>
    <message>
        <source>用选中的备份恢复…</source>
        <translation>Restore the selected backup…</translation>
    </message>
    <message>
        <source>备份与恢复</source>
        <translation>Backups and restore</translation>
    </message>
    <message>
        <source>程序每天自动备份一次，保留最近14天。换电脑或数据出问题时，可以用备份恢复。</source>
        <translation>The program makes a backup every day and keeps the last 14. Use one to restore after a problem or on a new PC.</translation>
    </message>
    <message>
        <source>还没有备份。</source>
        <translation>No backups yet.</translation>
    </message>
    <message>
        <source>已备份到 {path}</source>
        <translation>Backed up to {path}</translation>
    </message>
    <message>
        <source>用备份恢复</source>
        <translation>Restore from a backup</translation>
    </message>
    <message>
        <source>恢复后，本电脑上的数据会变回备份时的样子，备份之后做的工作会不见。现在的数据会先另存一份在备份文件夹里。确定要恢复吗？</source>
        <translation>After restoring, the data on this PC is as it was when the backup was made; work done since then will be gone. The current data is first saved in the backup folder. Restore now?</translation>
    </message>
    <message>
        <source>确定恢复</source>
        <translation>Restore</translation>
    </message>
    <message>
        <source>不恢复</source>
        <translation>Don&apos;t restore</translation>
    </message>
    <message>
        <source>正在恢复……</source>
        <translation>Restoring…</translation>
    </message>
    <message>
        <source>编码：{code}</source>
        <translation>Code: {code}</translation>
    </message>
    <message>
        <source>议事室编号（县服务器登记用）：{id}</source>
        <translation>Room number (for the county server): {id}</translation>
    </message>
    <message>
        <source>二维码海报</source>
        <translation>QR poster</translation>
    </message>
</context>
<context>
    <name>StatsScreen</name>
    <message>
        <source>统计</source>
        <translation>Statistics</translation>
    </message>
    <message>
        <source>从</source>
        <translation>From</translation>
    </message>
    <message>
        <source>到</source>
        <translation>to</translation>
    </message>
    <message>
        <source>导出Excel…</source>
        <translation>Export to Excel…</translation>
    </message>
    <message>
        <source>导出PDF / 打印…</source>
        <translation>Export PDF / print…</translation>
    </message>
    <message>
        <source>收集议题</source>
        <translation>Topics collected</translation>
    </message>
    <message>
        <source>召开议事会</source>
        <translation>Meetings held</translation>
    </message>
    <message>
        <source>办结事项</source>
        <translation>Matters resolved</translation>
    </message>
    <message>
        <source>办结率</source>
        <translation>Resolution rate</translation>
    </message>
    <message>
        <source>满意率</source>
        <translation>Satisfaction</translation>
    </message>
    <message>
        <source>逾期落实事项</source>
        <translation>Overdue action items</translation>
    </message>
    <message>
        <source>合并到其他议题的重复议题不算作收集议题；议题列表里仍能看到它们（状态为“已合并”）。</source>
        <translation>Duplicates merged into another topic are not counted as topics collected; the topics list still shows them (status Merged).</translation>
    </message>
    <message>
        <source>导出Excel</source>
        <translation>Export to Excel</translation>
    </message>
    <message>
        <source>正在导出……</source>
        <translation>Exporting…</translation>
    </message>
    <message>
        <source>已导出：{path}</source>
        <translation>Exported: {path}</translation>
    </message>
    <message>
        <source>协商议事工作统计</source>
        <translation>Consultation work statistics</translation>
    </message>
    <message>
        <source>按来源</source>
        <translation>By source</translation>
    </message>
    <message>
        <source>按状态</source>
        <translation>By status</translation>
    </message>
    <message>
        <source>另有 {n} 个重复议题已合并</source>
        <translation>+{n} merged duplicates</translation>
    </message>
    <message>
        <source>按月份</source>
        <translation>By month</translation>
    </message>
    <message>
        <source>按月份（{span}）</source>
        <translation>By month ({span})</translation>
    </message>
</context>
<context>
    <name>SyncController</name>
    <message>
        <source>正在同步……</source>
        <translation>Syncing…</translation>
    </message>
    <message>
        <source>未注册到县服务器（请到“设置”中注册）</source>
        <translation>Not enrolled with the county server (enrol in Settings)</translation>
    </message>
    <message>
        <source>同步没有成功，稍后自动再试</source>
        <translation>Sync did not succeed; will try again by itself</translation>
    </message>
    <message>
        <source>还没有同步过</source>
        <translation>Not synced yet</translation>
    </message>
    <message>
        <source>上次同步：{time}</source>
        <translation>Last sync: {time}</translation>
    </message>
    <message>
        <source>同步完成：发送 {sent} 条更改，收到 {got} 条。</source>
        <translation>Sync done: {sent} changes sent, {got} received. </translation>
    </message>
    <message>
        <source>有 {n} 处两台电脑改了同一内容，请在状态栏点“冲突”逐一决定保留哪个。</source>
        <translation>{n} items were changed on two PCs; click &quot;Conflicts&quot; in the status bar and decide which version to keep.</translation>
    </message>
    <message>
        <source>冲突 {n} 处，点此处理</source>
        <translation>Conflicts: {n} (click to resolve)</translation>
    </message>
    <message>
        <source>还没有设置县服务器，暂时不能同步。今天的工作都已保存在本机，不会丢失。请在“设置”中填写县服务器地址并完成登记，以后就可以一键同步。</source>
        <translation>The county server is not set up yet, so sync is not possible. Today&apos;s work is saved on this PC and will not be lost. Enter the county server address and enrol in Settings; then one click syncs.</translation>
    </message>
    <message>
        <source>有 {n} 条修改被县服务器退回，都还保存在本电脑上，没有丢失。请在状态栏点“被退回的修改”，逐条看原因，改好后重新发送，或者放弃。</source>
        <translation>{n} changes were sent back by the county server. They are all still saved on this PC; nothing is lost. Click &quot;Changes sent back&quot; in the status bar, read each reason, then fix and send again, or give up the change.</translation>
    </message>
</context>
<context>
    <name>TodayScreen</name>
    <message>
        <source>工作台</source>
        <translation>Today</translation>
    </message>
    <message>
        <source>结束今日工作并同步</source>
        <translation>End the day and sync</translation>
    </message>
    <message>
        <source>下班前点一下：所有内容都已随时保存在本机；点这里会把今天的变化发送到县服务器。</source>
        <translation>Click before you leave: everything is already saved on this PC; this sends today&apos;s changes to the county server.</translation>
    </message>
    <message>
        <source>今天的工作都已保存在本电脑上，程序每天自动备份。本电脑还没有连上县服务器；要连接，请到“设置”里注册。</source>
        <translation>Today&apos;s work is all saved on this PC, and the program backs it up every day. This PC is not connected to the county server yet; to connect it, enrol in Settings.</translation>
    </message>
    <message>
        <source>结束今日工作</source>
        <translation>End the day</translation>
    </message>
    <message>
        <source>待受理的议题（{n}）</source>
        <translation>Topics waiting for triage ({n})</translation>
    </message>
    <message>
        <source>扫码提交的新议题（{n}）</source>
        <translation>New topics from the QR code ({n})</translation>
    </message>
    <message>
        <source>近期议事会（{n}）</source>
        <translation>Upcoming meetings ({n})</translation>
    </message>
    <message>
        <source>逾期未落实的事项（{n}）</source>
        <translation>Overdue action items ({n})</translation>
    </message>
    <message>
        <source>没有等待受理的议题。</source>
        <translation>No topics waiting for triage.</translation>
    </message>
    <message>
        <source>没有新的扫码议题。</source>
        <translation>No new topics from the QR code.</translation>
    </message>
    <message>
        <source>近期没有安排议事会。</source>
        <translation>No meetings scheduled soon.</translation>
    </message>
    <message>
        <source>期限 {d}，已逾期 {n} 天</source>
        <translation>due {d}, {n} days overdue</translation>
    </message>
    <message>
        <source>没有逾期的落实事项。</source>
        <translation>No overdue action items.</translation>
    </message>
    <message>
        <source>还有 {n} 项，请到“落实”里查看全部。</source>
        <translation>{n} more: see them all under Follow-up.</translation>
    </message>
    <message>
        <source>还有 {n} 项……</source>
        <translation>{n} more…</translation>
    </message>
</context>
<context>
    <name>TopicDetail</name>
    <message>
        <source>登记</source>
        <translation>Record</translation>
    </message>
    <message>
        <source>个人信息已按保存期限删除</source>
        <translation>Personal data deleted after the retention period</translation>
    </message>
    <message>
        <source>在左边的列表中选中一个议题，这里会显示它的详细情况和全部办理经过。</source>
        <translation>Select a topic in the list on the left to see its details and whole history here.</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>来源</source>
        <translation>Source</translation>
    </message>
    <message>
        <source>收到时间</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>地点</source>
        <translation>Location</translation>
    </message>
    <message>
        <source>提出人</source>
        <translation>Submitted by</translation>
    </message>
    <message>
        <source>查询码</source>
        <translation>Tracking code</translation>
    </message>
    <message>
        <source>受理</source>
        <translation>Accept</translation>
    </message>
    <message>
        <source>不予受理</source>
        <translation>Decline</translation>
    </message>
    <message>
        <source>合并</source>
        <translation>Merge</translation>
    </message>
    <message>
        <source>直接办理</source>
        <translation>Handle directly</translation>
    </message>
    <message>
        <source>打印回执</source>
        <translation>Print receipt</translation>
    </message>
    <message>
        <source>办理经过</source>
        <translation>History</translation>
    </message>
    <message>
        <source>（没有情况描述）</source>
        <translation>(no description)</translation>
    </message>
</context>
<context>
    <name>TopicTableModel</name>
    <message>
        <source>收到时间</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>议题</source>
        <translation>Topic</translation>
    </message>
    <message>
        <source>来源</source>
        <translation>Source</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>地点</source>
        <translation>Location</translation>
    </message>
    <message>
        <source>正在读取……</source>
        <translation>Reading…</translation>
    </message>
</context>
<context>
    <name>TopicsScreen</name>
    <message>
        <source>搜索标题、描述、地点、查询码……</source>
        <translation>Search title, description, location, tracking code…</translation>
    </message>
    <message>
        <source>全部状态</source>
        <translation>All statuses</translation>
    </message>
    <message>
        <source>全部来源</source>
        <translation>All sources</translation>
    </message>
    <message>
        <source>搜索功能尚未安装</source>
        <translation>Search is not installed yet</translation>
    </message>
    <message>
        <source>登记新议题</source>
        <translation>Record new topic</translation>
    </message>
    <message>
        <source>导入12345工单</source>
        <translation>Import 12345 work orders</translation>
    </message>
    <message>
        <source>共 {n} 个议题</source>
        <translation>{n} topics</translation>
    </message>
    <message>
        <source>不予受理</source>
        <translation>Decline</translation>
    </message>
    <message>
        <source>请写明不予受理的理由。提出人会在查询页看到这段话，请用平和、易懂的语言，并告诉他可以找谁。</source>
        <translation>Please write why the topic is declined. The submitter will read this on the tracking page: use calm, plain words and say whom they can turn to.</translation>
    </message>
    <message>
        <source>直接办理</source>
        <translation>Handle directly</translation>
    </message>
    <message>
        <source>这件事不需要开会，已经直接办好了。请写下是怎么办的。</source>
        <translation>This matter needed no meeting and has been handled. Please write down how.</translation>
    </message>
    <message>
        <source>办结</source>
        <translation>Resolve</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <source>议事无法启动</source>
        <translation>Yishi cannot start</translation>
    </message>
    <message>
        <source>打开数据文件时出错：{error}</source>
        <translation>Could not open the data file: {error}</translation>
    </message>
</context>
<context>
    <name>categories</name>
    <message>
        <source>环境卫生</source>
        <translation>Environment and sanitation</translation>
    </message>
    <message>
        <source>道路交通</source>
        <translation>Roads and traffic</translation>
    </message>
    <message>
        <source>基础设施</source>
        <translation>Infrastructure</translation>
    </message>
    <message>
        <source>物业管理</source>
        <translation>Property management</translation>
    </message>
    <message>
        <source>民生保障</source>
        <translation>Livelihood</translation>
    </message>
    <message>
        <source>安全隐患</source>
        <translation>Safety hazards</translation>
    </message>
    <message>
        <source>邻里纠纷</source>
        <translation>Neighbour disputes</translation>
    </message>
    <message>
        <source>其他</source>
        <translation>Other</translation>
    </message>
    <message>
        <source>全部类别</source>
        <translation>All categories</translation>
    </message>
</context>
<context>
    <name>conflicts</name>
    <message>
        <source>议题</source>
        <translation>Topic</translation>
    </message>
    <message>
        <source>议事会</source>
        <translation>Meeting</translation>
    </message>
    <message>
        <source>议程</source>
        <translation>Agenda item</translation>
    </message>
    <message>
        <source>参会人员</source>
        <translation>Participant</translation>
    </message>
    <message>
        <source>会议记录</source>
        <translation>Minutes</translation>
    </message>
    <message>
        <source>发言</source>
        <translation>Statement</translation>
    </message>
    <message>
        <source>协商结果</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <source>落实事项</source>
        <translation>Action item</translation>
    </message>
    <message>
        <source>联系人</source>
        <translation>Contact</translation>
    </message>
    <message>
        <source>回访</source>
        <translation>Follow-up visit</translation>
    </message>
    <message>
        <source>标题</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>情况描述</source>
        <translation>Description</translation>
    </message>
    <message>
        <source>地点</source>
        <translation>Location</translation>
    </message>
    <message>
        <source>类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>内容</source>
        <translation>Text</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>召集人</source>
        <translation>Convenor</translation>
    </message>
    <message>
        <source>主持人</source>
        <translation>Host</translation>
    </message>
    <message>
        <source>记录人</source>
        <translation>Recorder</translation>
    </message>
    <message>
        <source>承办单位</source>
        <translation>Owner unit</translation>
    </message>
    <message>
        <source>责任人</source>
        <translation>Person responsible</translation>
    </message>
    <message>
        <source>完成时限</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>单位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <source>删除</source>
        <translation>Deleted</translation>
    </message>
    <message>
        <source>（已删除）</source>
        <translation>(deleted)</translation>
    </message>
    <message>
        <source>（保留）</source>
        <translation>(kept)</translation>
    </message>
    <message>
        <source>（空）</source>
        <translation>(empty)</translation>
    </message>
</context>
<context>
    <name>dialog</name>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <source>出了一个意外的问题，刚才的操作没有完成，已有的数据没有改动。请再试一次；如果还不行，请关闭程序重新打开，并告诉县协商办。</source>
        <translation>Something unexpected went wrong. What you just did was not completed and no existing data was changed. Please try again; if it still fails, close and reopen the program and tell the county consultation office.</translation>
    </message>
    <message>
        <source>请检查填写的内容</source>
        <translation>Please check what you entered</translation>
    </message>
    <message>
        <source>没有办成</source>
        <translation>Not done</translation>
    </message>
    <message>
        <source>出错了</source>
        <translation>Something went wrong</translation>
    </message>
</context>
<context>
    <name>printing</name>
    <message>
        <source>议程</source>
        <translation>Agenda</translation>
    </message>
    <message>
        <source>签到表</source>
        <translation>Sign-in sheet</translation>
    </message>
    <message>
        <source>会议记录</source>
        <translation>Minutes</translation>
    </message>
    <message>
        <source>议题受理回执</source>
        <translation>Topic receipt</translation>
    </message>
</context>
</TS>
