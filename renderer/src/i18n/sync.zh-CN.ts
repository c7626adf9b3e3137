/** The sync link's strings (同步): status, bootstrap progress, offline banner, sign-in password. */
const syncZhCN = {
  'sync.online': '已同步',
  'sync.offline': '离线',
  'sync.connecting': '正在连接同步服务器…',
  'sync.signedOut': '未登录同步服务器',
  'sync.pending': '{count} 项待上传',
  'sync.lastSync': '上次同步 {time}',
  'sync.never': '尚未同步',
  'sync.progress.bootstrap': '正在从服务器获取工单 {done}/{total}',
  'sync.progress.catch-up': '正在追赶服务器的更改 {done}/{total}',
  'sync.progress.starting': '正在连接服务器，准备获取工单…',
  'sync.banner.offline': '与同步服务器的连接已断开：工单照常保存在本机，恢复连接后自动同步。',
  'sync.banner.pending': '本机有 {count} 项更改待上传。',
  'sync.banner.error': '同步问题：{message}',
  'sync.tooltip': '同步服务器 {server} · 座席 {seat} · 账号 {user}',
  'signIn.password': '密码',
  'signIn.passwordFor': '以 {name} 登录：请输入密码',
  'signIn.submit': '登录',
  'signIn.cancel': '返回',
  'signIn.syncHint': '本席位与同步服务器 {server} 同步：请选择身份并输入密码。断网时，曾在本机登录过的人员可用原密码离线登录。',
};
export type SyncMessageKey = keyof typeof syncZhCN;
export default syncZhCN;
