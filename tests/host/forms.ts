/** A complete intake form for the demo template (硬件 group). */
export function completeForm(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    title: '3号楼电梯异响',
    requester_name: '张先生',
    requester_phone: '13800001111',
    area: '公共区域',
    location: '3号楼/1单元',
    fault_type: '硬件',
    description: '电梯运行时有明显异响',
    urgency: '2小时内',
    owner_cooperation: '否',
    faulty_part: '曳引机',
    ...overrides,
  };
}
