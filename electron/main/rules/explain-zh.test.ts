import { describe, expect, it } from 'vitest';
import { explainLineZh } from './explain-zh';

describe('explain lines in Chinese', () => {
  it.each([
    ['night-bearing: keyword 轴承 in description; 22:10 within 20:00–07:59 → 林师傅', '描述含“轴承”；22:10 在 20:00–07:59 内 → 林师傅'],
    ['night-bearing: also pool 紧急-机械类, priority P1, skip dispatch, tags 夜间直派, sms → 林师傅', '另外：工单池 紧急-机械类, 优先级 P1, 跳过人工派单, 标签 夜间直派, 短信 → 林师傅'],
    ['accept-15m: pending_acceptance since 10:00; breach due 10:15, breached 5m ago → red banner, desktop → 王芳, 李娜', '待受理自 10:00 起；超时时限 10:15，已超时 5 分钟 → 红色横幅, 桌面通知 → 王芳, 李娜'],
    ['accept-15m: pending_acceptance since 10:05; paused, clock stopped (breach after 15m)', '待受理自 10:05 起；已暂停，计时停止（15 分钟后超时）'],
    ['first-response-2h-p1: in_progress since 2026-03-02 23:00 (priority P1); escalate due 01:00 (in 1h30m)', '处理中自 2026-03-02 23:00 起 (优先级 P1)；升级时限 01:00（还剩 1 小时 30 分钟）'],
    ['repeat-device: 3 tickets with device AC-12, category 硬件 in 7d (at least 3) → tags 红色预警, task 安排技术拜访 → 周主管, push ticket to crm', '设备 AC-12、类别 硬件 的工单 7 天内共 3 张（至少 3 张） → 标签 红色预警, 任务“安排技术拜访” → 周主管, 推送工单到 crm'],
    ['erp-push: on transition to pending_verification → push 1 recent repairs of CNC-07 to erp', '转为待验收时 → 推送 CNC-07 最近 1 次维修记录到 erp'],
    ['network-it: nobody on duty in roster it-day at 22:10; assign does nothing', '22:10 值班表 it-day 无人在岗，未分派'],
    ["dispatch-30m: sms to supervisor of the ticket's area (location 9号楼 is in no area): nobody, no notification", '短信发给工单所在区域的主管（位置 9号楼 不属于任何区域）：无人，不发送'],
    ["x: Sat 02:00 within Fri's 20:00–07:59 on fri", '周六 02:00 在周五的 20:00–07:59 内（fri）'],
    ['skip_dispatch: no assignee, so the ticket stays pending_acceptance', '跳过派单：没有处理人，工单保持待受理'],
  ])('%s', (line, zh) => {
    expect(explainLineZh(line)).toBe(zh);
  });

  it('keeps what it does not know, so nothing is lost', () => {
    expect(explainLineZh('r: a brand-new engine phrase', 'r')).toBe('a brand-new engine phrase');
  });
});
