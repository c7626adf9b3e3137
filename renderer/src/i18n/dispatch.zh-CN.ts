/** The dispatcher's 值班调度 panel on the workbench: rosters, who is on duty, assign by pick or drag. */
const dispatchZhCN = {
  'dispatch.title': '值班调度',
  'dispatch.collapse': '收起',
  'dispatch.expand': '展开',
  'dispatch.hint': '选中工单后点“派给”，或把工单拖到人员上',
  'dispatch.at': '{time} 在岗',
  'dispatch.nobody': '当前无人值班',
  'dispatch.noRosters': '规则包未定义排班',
  'dispatch.until': '{shift}，至 {time}',
  'dispatch.load': '在办 {n}',
  'dispatch.assign': '派给',
  'dispatch.pickFirst': '请先在列表中选中一张工单',
  'dispatch.done': '已将 {no} 派给 {name}',
  'dispatch.failed': '{no} 未能派给 {name}：{message}',
  'dispatch.loadFailed': '无法读取值班表：{message}',
};

export type DispatchMessageKey = keyof typeof dispatchZhCN;
export default dispatchZhCN;
