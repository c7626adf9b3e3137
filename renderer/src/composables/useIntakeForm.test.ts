import { createPinia, setActivePinia } from 'pinia';
import { ref } from 'vue';
import { beforeEach, describe, expect, it } from 'vitest';
import { DEMO_TEMPLATE } from '../../../domain';
import type { FormTemplate } from '../types';
import { useIntakeForm } from './useIntakeForm';

const standard = {
  title: '财务服务器无法登录', requester_name: '刘先生', requester_phone: '13800138000', area: '公共区域',
  location: '3号楼/2单元/1502', description: '提示数据库连接失败', urgency: '2小时内', owner_cooperation: '否',
};

describe('an intake form being filled in', () => {
  beforeEach(() => setActivePinia(createPinia()));

  function filled(extra: Record<string, string>) {
    const form = useIntakeForm(ref<FormTemplate | null>(DEMO_TEMPLATE));
    for (const [k, v] of Object.entries({ ...standard, ...extra })) form.setAnswer(k, v);
    return form;
  }

  it('opens the 系统 group and asks for the server IP in words until it is given', () => {
    const form = filled({ fault_type: '系统' });
    expect(form.openGroups.value.map((g) => g.title)).toEqual(['系统故障']);
    expect(form.completeness.value.complete).toBe(false);
    expect(form.missing.value.map((m) => m.text)).toEqual(['请补充服务器IP以便远程诊断']);
    form.setAnswer('server_ip', '10.0.8.21');
    expect(form.completeness.value.complete).toBe(true);
  });

  it('leaves out the answers of a group that closed and blank answers', () => {
    const form = filled({ fault_type: '网络', ping_gateway: '能', packet_loss: '  ' });
    form.setAnswer('fault_type', '硬件');
    form.setAnswer('faulty_part', '主轴轴承');
    expect(form.payload.value).not.toHaveProperty('ping_gateway');
    expect(form.payload.value).not.toHaveProperty('packet_loss');
    expect(form.payload.value).toMatchObject({ fault_type: '硬件', faulty_part: '主轴轴承' });
  });

  it('shows the node’s problems on the fields it names until they are edited', () => {
    const form = filled({ fault_type: '系统', server_ip: '10.0.8.21' });
    form.applyServerError({
      code: 'bad_request', message: '电话号码格式不正确',
      problems: [{ field: 'requester_phone', label: '联系电话', code: 'invalid_format', message: '联系电话：电话号码格式不正确' }],
    });
    expect(form.feedback('requester_phone')).toBe('联系电话：电话号码格式不正确');
    form.setAnswer('requester_phone', '021-5555-0101');
    expect(form.feedback('requester_phone')).toBeUndefined();
  });
});
