import type { FormAnswers } from '../ticket';
import type { Rng } from './random';
import { pick } from './random';

/**
 * Realistic faults from the three kinds of site Closeloop serves: appliance after-sales, plant
 * maintenance and property management. Each scenario fills the demo template, its group included.
 */
interface Scenario {
  fault: '网络' | '系统' | '应用' | '硬件';
  area: '公共区域' | '户内设施' | '智能设备';
  titles: readonly string[];
  descriptions: readonly string[];
  devices: readonly string[];
  group: (rng: Rng) => FormAnswers;
  /** Which team usually takes it. */
  team: 'mechanical' | 'electrical' | 'it' | 'property';
}

export const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '林', '罗'];
export const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '霞', '平'];
export const BUILDINGS = ['1号楼', '2号楼', '3号楼', '4号楼', '5号楼', '6号楼'];

const ip = (rng: Rng) => `192.168.${1 + Math.floor(rng() * 30)}.${10 + Math.floor(rng() * 200)}`;

export const SCENARIOS: readonly Scenario[] = [
  {
    fault: '硬件', area: '公共区域', team: 'mechanical',
    titles: ['主轴轴承异响', '传送带电机轴承异响', '冲压机异响伴随振动', '空压机轴承过热', '风机异响，有停机风险'],
    descriptions: ['设备运行时有明显的金属摩擦声，振动比平时大，操作工担心轴承损坏。', '夜班巡检发现轴承温度偏高，伴随间歇异响，请尽快安排检查。', '异响持续约半小时，已降速运行，存在停机风险。'],
    devices: ['CNC-07', 'CNC-12', 'PRESS-03', 'CONV-21', 'AC-02', 'FAN-09'],
    group: (rng) => ({ device_model: pick(rng, ['VMC850', 'JH21-160', 'GA37', 'DZ-300']), faulty_part: pick(rng, ['主轴轴承', '电机轴承', '皮带', '减速箱']) }),
  },
  {
    fault: '硬件', area: '户内设施', team: 'property',
    titles: ['卫生间漏水', '空调不制冷', '热水器不出热水', '入户门锁损坏', '厨房水龙头滴水', '洗衣机脱水时异响'],
    descriptions: ['业主反映楼上渗水到天花板，已用盆接水。', '空调开机后出风不凉，外机运转声音异常。', '热水器显示E4故障代码，无法加热。', '门锁把手松动，钥匙无法转动。'],
    devices: ['KT-1502', 'RSQ-0803', 'MS-2201', 'XYJ-0605'],
    group: (rng) => ({ device_model: pick(rng, ['KFR-35GW', 'JSQ30-16', 'TG100']), faulty_part: pick(rng, ['压缩机', '加热管', '锁芯', '阀芯', '减震器']) }),
  },
  {
    fault: '硬件', area: '公共区域', team: 'electrical',
    titles: ['电梯困人', '电梯门无法关闭', '楼道照明不亮', '配电柜跳闸', '地下车库排风机不启动'],
    descriptions: ['电梯停在8楼与9楼之间，轿厢内有人，请立即处理。', '电梯门反复开关，无法运行。', '3单元楼道灯全部不亮，夜间出行不便。', '配电柜总闸频繁跳闸，影响生产线供电。'],
    devices: ['DT-01', 'DT-02', 'PDG-3A', 'PFJ-B1'],
    group: (rng) => ({ device_model: pick(rng, ['OTIS-GEN2', 'MNS-3', 'SF-6']), faulty_part: pick(rng, ['门机', '断路器', '接触器', '控制板']) }),
  },
  {
    fault: '网络', area: '智能设备', team: 'it',
    titles: ['车间无线网络掉线', '门禁系统无法联网', '监控摄像头离线', 'MES终端连不上服务器'],
    descriptions: ['二号车间的手持终端频繁掉线，扫码上报失败。', '东门门禁显示离线，刷卡无反应。', '停车场3个摄像头画面中断。'],
    devices: ['AP-2F-03', 'MJ-EAST', 'IPC-P3', 'MES-T07'],
    group: (rng) => ({ ping_gateway: pick(rng, ['能', '不能']), packet_loss: `${Math.floor(rng() * 60)}%`, gateway_ip: ip(rng) }),
  },
  {
    fault: '系统', area: '智能设备', team: 'it',
    titles: ['ERP系统登录报错', '打印服务器无响应', '考勤系统数据不同步', '服务器磁盘空间告警'],
    descriptions: ['登录时提示数据库连接超时，整个财务部无法开单。', '所有打印任务卡在队列里。', '昨天的考勤记录没有同步过来。'],
    devices: ['SRV-ERP', 'SRV-PRN', 'SRV-HR'],
    group: (rng) => ({ server_ip: ip(rng), error_code: pick(rng, ['ORA-12170', 'ERR_503', '0x80070005', '']), os: pick(rng, ['CentOS 7', 'Windows Server 2019', '麒麟V10']) }),
  },
  {
    fault: '应用', area: '智能设备', team: 'it',
    titles: ['报修小程序提交失败', '巡检APP闪退', '访客系统无法生成二维码'],
    descriptions: ['点击提交后一直转圈，没有生成工单。', '打开巡检任务就闪退，已重装过。', '访客登记后二维码页面空白。'],
    devices: ['APP-BX', 'APP-XJ', 'APP-FK'],
    group: (rng) => ({ app_name: pick(rng, ['报修小程序', '巡检APP', '访客系统']), app_version: `v${1 + Math.floor(rng() * 3)}.${Math.floor(rng() * 10)}` }),
  },
];

export function randomPerson(rng: Rng): { name: string; phone: string } {
  const name = pick(rng, SURNAMES) + pick(rng, GIVEN);
  const phone = `1${pick(rng, ['38', '39', '50', '58', '86', '88'])}${String(Math.floor(rng() * 1e8)).padStart(8, '0')}`;
  return { name, phone };
}

export function randomLocation(rng: Rng): string {
  return `${pick(rng, BUILDINGS)}/${1 + Math.floor(rng() * 4)}单元/${1 + Math.floor(rng() * 20)}${String(1 + Math.floor(rng() * 4)).padStart(2, '0')}`;
}
