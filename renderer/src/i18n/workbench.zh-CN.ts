/** The workbench's strings (工作台): queues, search, keyboard. */
const workbenchZhCN = {
  'app.nav.workbench': '工作台',
  'workbench.queue.mine': '我的',
  'workbench.queue.unassigned': '未指派',
  'workbench.queue.breaching': '即将超时/已超时',
  'workbench.queue.open': '全部未结',
  'workbench.queue.all': '全部工单（含已结）',
  'workbench.queue.pools': '工单池',
  'workbench.search': '搜索工单号、标题、描述、设备、电话、位置',
  'workbench.col.sla': 'SLA',
  'workbench.col.pool': '工单池',
  'workbench.slaPaused': '已暂停',
  'workbench.keysHint': '快捷键 ?',
  'workbench.keysTitle': '键盘快捷键',
  'workbench.key.search': '聚焦搜索框',
  'workbench.key.next': '下一条',
  'workbench.key.previous': '上一条',
  'workbench.key.open': '打开选中的工单',
  'workbench.key.new': '新建工单',
  'workbench.key.accept': '接单（可接单时）',
  'workbench.key.dispatch': '派单（可派单时）',
  'workbench.key.help': '显示/隐藏本列表',
  'workbench.key.escape': '离开输入框',
};
export type WorkbenchMessageKey = keyof typeof workbenchZhCN;
export default workbenchZhCN;
