import type { FormTemplate } from './forms';

const opts = (...values: string[]) => values.map((value) => ({ value, label: value }));

/**
 * The demo site's intake template: the field's 12 standard fields and a free 备注, then groups by
 * fault type.
 * (DESIGN.md §2.) Admins change templates; every version is kept and tickets record theirs.
 */
export const DEMO_TEMPLATE: FormTemplate = {
  id: 'intake',
  version: 1,
  name: '标准报修单',
  fields: [
    { key: 'title', label: '标题', labelEn: 'Title', type: 'text', required: true, disabled: false, maxLength: 200 },
    { key: 'requester_name', label: '报修人', labelEn: 'Requester', type: 'text', required: true, disabled: false },
    { key: 'requester_phone', label: '联系电话', labelEn: 'Phone', type: 'phone', required: true, disabled: false },
    { key: 'area', label: '问题归属', labelEn: 'Area', type: 'select', required: true, disabled: false, options: opts('公共区域', '户内设施', '智能设备') },
    { key: 'location', label: '位置', labelEn: 'Location', type: 'location', required: true, disabled: false, placeholder: '楼栋/单元/房号，例如 3号楼/2单元/1502' },
    { key: 'device', label: '设备编号', labelEn: 'Device no.', type: 'text', required: false, disabled: false, placeholder: '例如 CNC-07' },
    { key: 'fault_type', label: '故障类型', labelEn: 'Fault type', type: 'select', required: true, disabled: false, options: opts('网络', '系统', '应用', '硬件') },
    { key: 'description', label: '故障描述', labelEn: 'Description', type: 'textarea', required: true, disabled: false, maxLength: 5000 },
    { key: 'urgency', label: '紧急程度', labelEn: 'Urgency', type: 'select', required: true, disabled: false, options: opts('立即处理', '2小时内', '24小时内') },
    { key: 'owner_cooperation', label: '是否需业主配合', labelEn: 'Owner present?', type: 'radio', required: true, disabled: false, options: opts('是', '否') },
    { key: 'expected_visit', label: '期望上门时间', labelEn: 'Preferred visit', type: 'datetime', required: false, disabled: false },
    { key: 'attachments', label: '附件', labelEn: 'Attachments', type: 'attachments', required: false, disabled: false },
    // Not one of the 12: the free remark the field's admins switch off once the dropdowns cover it.
    { key: 'remark', label: '备注', labelEn: 'Remark', type: 'textarea', required: false, disabled: false, maxLength: 2000 },
  ],
  groups: [
    {
      when: { field: 'fault_type', eq: '网络' },
      title: '网络故障',
      fields: [
        { key: 'ping_gateway', label: '能否ping通网关', type: 'radio', required: true, disabled: false, options: opts('能', '不能'), requiredMessage: '请说明能否ping通网关' },
        { key: 'packet_loss', label: '丢包率', type: 'text', required: false, disabled: false, placeholder: '例如 30%' },
        { key: 'gateway_ip', label: '网关IP', type: 'ipv4', required: false, disabled: false },
      ],
    },
    {
      when: { field: 'fault_type', eq: '系统' },
      title: '系统故障',
      fields: [
        { key: 'server_ip', label: '服务器IP', type: 'ipv4', required: true, disabled: false, requiredMessage: '请补充服务器IP以便远程诊断' },
        { key: 'error_code', label: '报错代码', type: 'text', required: false, disabled: false },
        { key: 'os', label: '操作系统', type: 'text', required: false, disabled: false },
      ],
    },
    {
      when: { field: 'fault_type', eq: '应用' },
      title: '应用故障',
      fields: [
        { key: 'app_name', label: '应用名称', type: 'text', required: true, disabled: false },
        { key: 'app_version', label: '版本', type: 'text', required: false, disabled: false },
        { key: 'error_screenshot', label: '报错截图', type: 'attachments', required: false, disabled: false },
      ],
    },
    {
      when: { field: 'fault_type', eq: '硬件' },
      title: '硬件故障',
      fields: [
        { key: 'device_model', label: '设备型号', type: 'text', required: false, disabled: false },
        { key: 'serial_no', label: '序列号', type: 'text', required: false, disabled: false },
        { key: 'faulty_part', label: '故障部件', type: 'text', required: true, disabled: false, placeholder: '例如 主轴轴承' },
      ],
    },
  ],
};
