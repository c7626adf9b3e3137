/** Attachment strings (issue 7), zh-CN first. */
const attachmentsZhCN = {
  'attachments.add': '添加截图、照片或录音',
  'attachments.addToTicket': '添加附件',
  'attachments.hint': '可粘贴截图（Ctrl+V）；图片会去除位置等元数据；单个文件不超过 15 MB',
  'attachments.uploading': '正在上传 {name}…',
  'attachments.added': '已添加 {name}',
  'attachments.duplicate': '{name} 已添加过，不会重复保存',
  'attachments.remove': '移除',
  'attachments.download': '下载',
  'attachments.title': '附件',
  'attachments.count': '{count} 个文件（见附件）',
  'attachments.none': '暂无附件',
  'attachments.unavailable': '附件尚未下载到本席位',
} as const;

export type AttachmentsMessageKey = keyof typeof attachmentsZhCN;
export default attachmentsZhCN;
