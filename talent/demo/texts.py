"""Text pools for the demo data: the eleven convergence fields with their companies' trades, skills, field
problems (in Korean, as companies write them), expert summaries (Korean and English) and PhD subjects;
made-up organization names. Plain data, no randomness here.

Every university, company and overseas institution below is invented: the demo must not look like a
statement about real selection results or real people's careers.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    title: str
    context: str  # what hurts today, one sentence without the final full stop
    data: str  # what the company can provide
    site: str = ""  # where it happens, when not at the domain's usual site


@dataclass(frozen=True)
class Domain:
    code: str  # a ConvergenceField value
    ko: str
    en: str
    ksic_sections: tuple[str, ...]
    trades: tuple[tuple[str, str], ...]  # company name endings (ko, en)
    site: str  # where a company of this field usually has its problems
    skills: tuple[str, ...]
    problems: tuple[Problem, ...]
    activities: tuple[tuple[str, str], ...]  # (ko, en) what an expert has done
    interests: tuple[tuple[str, str], ...]  # (ko, en) what an expert works on now
    phd_subjects: tuple[str, ...]
    phd_field: str  # ISCED-F broad field


DOMAINS: tuple[Domain, ...] = (
    Domain(
        code="robotics",
        ko="로봇",
        en="Robotics",
        ksic_sections=("C",),
        trades=(("로보틱스", "Robotics"), ("로봇", "Robot"), ("오토메이션", "Automation")),
        site="공장",
        skills=("로봇 제어", "강화학습", "ROS 2", "SLAM", "모션 플래닝", "컴퓨터 비전", "협동로봇", "디지털 트윈"),
        problems=(
            Problem(
                "협동로봇 빈피킹 성공률 개선",
                "부품 상자에서 비정형 부품을 집어 올리는 협동로봇의 파지 실패율이 12 %에 달해 라인이 자주 멈춥니다",
                "3D 카메라 점군 데이터 약 4만 건과 파지 성공·실패 로그",
            ),
            Problem(
                "물류센터 자율이동로봇 경로 최적화",
                "피크 시간대에 자율이동로봇 40여 대가 교차로에서 정체되어 출고 처리량이 떨어집니다",
                "6개월 치 로봇 주행 로그와 창고 레이아웃 도면",
                site="물류센터",
            ),
            Problem(
                "용접 로봇 경로 자동 생성",
                "신규 차종마다 용접 로봇 경로를 숙련 작업자가 티칭하느라 라인 전환에 2주가 걸립니다",
                "CAD 모델과 과거 티칭 프로그램 300여 건",
            ),
            Problem(
                "로봇 감속기 고장 예지",
                "로봇 관절 감속기가 예고 없이 고장 나 연간 수십 시간의 비계획 정지가 발생합니다",
                "관절 토크·진동 센서 데이터와 정비 이력",
            ),
        ),
        activities=(
            (
                "산업용 로봇의 비전 기반 파지 시스템을 개발하고 현장에 적용했습니다",
                "built vision-based grasping for industrial robots and deployed it on production lines",
            ),
            (
                "자율이동로봇의 다중 로봇 경로 계획 알고리즘을 연구했습니다",
                "researched multi-robot path planning for autonomous mobile robots",
            ),
            (
                "강화학습으로 로봇 조작 정책을 학습시키는 연구를 수행했습니다",
                "trained robot manipulation policies with reinforcement learning",
            ),
        ),
        interests=(
            ("시뮬레이션에서 현실로의 정책 전이(sim-to-real)", "sim-to-real transfer of control policies"),
            ("사람과 협업하는 로봇의 안전한 제어", "safe control of robots that work beside people"),
            ("로봇 파운데이션 모델의 현장 적용", "applying robot foundation models on the shop floor"),
        ),
        phd_subjects=("로봇 매니퓰레이션을 위한 강화학습", "다중 이동로봇의 분산 경로 계획"),
        phd_field="07",
    ),
    Domain(
        code="semiconductors",
        ko="반도체",
        en="Semiconductors",
        ksic_sections=("C",),
        trades=(("반도체", "Semiconductor"), ("실리콘", "Silicon"), ("나노텍", "Nanotech")),
        site="사업장",
        skills=(
            "반도체 공정",
            "결함 검출",
            "가상 계측",
            "이상 탐지",
            "웨이퍼 맵 분석",
            "시계열 분석",
            "EDA",
            "PyTorch",
        ),
        problems=(
            Problem(
                "웨이퍼 맵 불량 패턴 자동 분류",
                "웨이퍼 맵 불량 패턴을 엔지니어가 수작업으로 분류하고 있어 원인 공정 추적이 늦어집니다",
                "라벨링된 웨이퍼 맵 약 8만 장과 공정 이력",
            ),
            Problem(
                "식각 공정 가상 계측 모델 개발",
                "식각 후 막 두께를 표본 계측에만 의존해 공정 이상을 늦게 발견합니다",
                "설비 센서(FDC) 데이터와 계측값 1년 치",
            ),
            Problem(
                "SEM 이미지 미세 결함 검출",
                "SEM 검사 이미지에서 수 나노미터 크기의 결함을 놓치는 사례가 늘고 있습니다",
                "SEM 이미지 2만 장과 결함 위치 주석",
            ),
            Problem(
                "패키징 라인 수율 저하 원인 분석",
                "후공정 패키징 라인의 수율이 분기마다 1~2 %p씩 흔들리는데 원인을 특정하지 못하고 있습니다",
                "로트별 공정 파라미터와 최종 검사 결과",
            ),
        ),
        activities=(
            (
                "반도체 공정 데이터 기반 가상 계측 모델을 개발했습니다",
                "developed virtual metrology models from semiconductor process data",
            ),
            (
                "웨이퍼 결함 검사용 딥러닝 모델을 양산에 적용했습니다",
                "put deep-learning wafer defect inspection into volume production",
            ),
            (
                "반도체 설계 자동화(EDA) 도구에 기계학습을 접목했습니다",
                "brought machine learning into electronic design automation tools",
            ),
        ),
        interests=(
            ("공정 간 전이학습을 통한 적은 데이터 학습", "learning from little data by transfer across processes"),
            ("설명 가능한 수율 예측", "explainable yield prediction"),
            ("칩 설계 최적화를 위한 생성 모델", "generative models for chip design optimisation"),
        ),
        phd_subjects=("반도체 공정 이상 탐지를 위한 시계열 딥러닝", "웨이퍼 결함 패턴의 준지도 학습 분류"),
        phd_field="07",
    ),
    Domain(
        code="automotive",
        ko="자동차",
        en="Automotive",
        ksic_sections=("C",),
        trades=(("모빌리티", "Mobility"), ("오토텍", "Autotech"), ("전장", "Electronics")),
        site="공장",
        skills=(
            "자율주행",
            "센서 퓨전",
            "객체 탐지",
            "배터리 관리 시스템",
            "차량 데이터 분석",
            "컴퓨터 비전",
            "임베디드 AI",
        ),
        problems=(
            Problem(
                "전기차 배터리 잔존 수명 예측",
                "운행 중인 전기차 배터리의 잔존 수명을 보수적으로만 추정해 보증 비용이 커지고 있습니다",
                "차량 2천 대의 충방전 로그와 셀 온도 데이터",
            ),
            Problem(
                "야간·우천 보행자 인식 성능 개선",
                "야간과 우천 조건에서 전방 카메라의 보행자 인식 재현율이 주간 대비 크게 떨어집니다",
                "주행 영상 약 500시간과 라벨 데이터",
            ),
            Problem(
                "도장 공정 외관 불량 검출",
                "차체 도장 후 먼지·흘러내림 불량을 육안으로 검사해 검사원마다 판정이 다릅니다",
                "도장 라인 고해상도 이미지와 불량 판정 기록",
            ),
            Problem(
                "부품 공급망 납기 지연 예측",
                "2차 협력사의 납기 지연이 완성차 생산 계획 변경으로 이어지는 일이 잦습니다",
                "3년 치 발주·입고 이력과 협력사 정보",
                site="구매본부",
            ),
        ),
        activities=(
            (
                "자율주행 인지 모듈의 센서 퓨전 알고리즘을 개발했습니다",
                "developed sensor-fusion perception for automated driving",
            ),
            ("전기차 배터리 상태 추정 모델을 연구했습니다", "researched state-of-health estimation for EV batteries"),
            (
                "차량 제어기용 경량 신경망을 구현했습니다",
                "implemented lightweight neural networks for in-vehicle controllers",
            ),
        ),
        interests=(
            ("악천후 조건에서의 강건한 인지", "robust perception in bad weather"),
            ("차량 데이터 기반 예지 정비", "predictive maintenance from vehicle data"),
            ("소프트웨어 중심 자동차(SDV)의 AI 적용", "AI in software-defined vehicles"),
        ),
        phd_subjects=("카메라·라이다 융합 기반 3차원 객체 탐지", "리튬이온 배터리 열화 예측 모델"),
        phd_field="07",
    ),
    Domain(
        code="manufacturing",
        ko="제조",
        en="Manufacturing",
        ksic_sections=("C",),
        trades=(("정밀", "Precision"), ("인더스트리", "Industries"), ("테크", "Tech")),
        site="공장",
        skills=(
            "컴퓨터 비전",
            "예지 보전",
            "공정 최적화",
            "이상 탐지",
            "디지털 트윈",
            "MLOps",
            "시계열 분석",
            "스마트 팩토리",
        ),
        problems=(
            Problem(
                "용접 비드 불량 자동 검출",
                "용접 비드 외관 검사를 작업자가 육안으로 수행하고 있어 검사 편차가 크고 불량이 유출됩니다",
                "라인 카메라 이미지 약 12만 장(불량 라벨 약 3 %)",
            ),
            Problem(
                "사출 성형 공정 조건 최적화",
                "금형 교체 후 공정 조건을 잡는 데 숙련자의 시행착오로 반나절이 걸립니다",
                "사출기 공정 파라미터와 품질 검사 결과 2년 치",
            ),
            Problem(
                "설비 예지 보전을 위한 진동 데이터 분석",
                "주요 설비의 베어링 고장이 예고 없이 발생해 연간 정지 손실이 큽니다",
                "설비 진동·전류 센서 데이터와 고장 이력",
            ),
            Problem(
                "생산 계획 자동 수립",
                "다품종 소량 생산 주문이 늘면서 엑셀로 짜는 생산 계획이 매일 바뀌고 납기를 놓칩니다",
                "주문·설비·인력 데이터와 과거 생산 계획",
            ),
            Problem(
                "품질 검사 성적서 자동 작성",
                "검사 데이터를 성적서 양식에 옮겨 적는 데 품질팀이 하루 두세 시간을 씁니다",
                "검사 장비 출력 파일과 고객사별 성적서 양식",
            ),
        ),
        activities=(
            (
                "제조 현장의 비전 검사 시스템을 설계하고 구축했습니다",
                "designed and built vision inspection systems for factories",
            ),
            (
                "설비 센서 데이터로 예지 보전 모델을 만들었습니다",
                "built predictive maintenance models from equipment sensor data",
            ),
            ("공정 최적화를 위한 베이지안 최적화를 적용했습니다", "applied Bayesian optimisation to process tuning"),
        ),
        interests=(
            ("중소 제조기업에 맞는 가벼운 AI 도입", "lightweight AI adoption for small manufacturers"),
            ("공장 디지털 트윈과 시뮬레이션", "factory digital twins and simulation"),
            ("생성형 AI를 활용한 작업 지시 자동화", "automating work instructions with generative AI"),
        ),
        phd_subjects=("제조 공정 품질 예측을 위한 딥러닝", "설비 고장 예지를 위한 이상 탐지"),
        phd_field="07",
    ),
    Domain(
        code="bio_medical",
        ko="바이오헬스",
        en="Bio-Medical",
        ksic_sections=("C", "M", "Q"),
        trades=(("바이오", "Bio"), ("헬스케어", "Healthcare"), ("메디칼", "Medical")),
        site="연구소",
        skills=(
            "의료 영상 분석",
            "신약 후보 탐색",
            "단백질 구조 예측",
            "생체 신호 처리",
            "임상 데이터 분석",
            "자연어 처리",
            "통계",
        ),
        problems=(
            Problem(
                "흉부 X선 영상 판독 보조",
                "야간 응급실에서 흉부 X선 판독이 지연되어 기흉 등 응급 소견을 늦게 확인합니다",
                "비식별화된 흉부 X선 영상 5만 건과 판독문",
                site="협력 병원",
            ),
            Problem(
                "신약 후보 물질 독성 예측",
                "후보 물질의 독성을 동물 실험 단계에서야 확인해 개발 비용이 커집니다",
                "화합물 구조와 독성 시험 결과 데이터베이스",
            ),
            Problem(
                "웨어러블 심전도 부정맥 탐지",
                "웨어러블 기기의 심전도 신호에 잡음이 많아 부정맥 경보의 오탐이 잦습니다",
                "비식별화된 단일 유도 심전도 1만 건",
            ),
            Problem(
                "임상시험 대상자 선별 자동화",
                "임상시험 대상자를 전자의무기록에서 수작업으로 선별해 모집이 늦어집니다",
                "비식별화된 진료 기록과 선정·제외 기준 문서",
                site="협력 병원",
            ),
        ),
        activities=(
            (
                "의료 영상 진단 보조 모델을 개발하고 임상 검증을 수행했습니다",
                "developed and clinically validated medical imaging models",
            ),
            ("생체 신호 기반 질환 예측 연구를 했습니다", "researched disease prediction from biosignals"),
            (
                "신약 개발을 위한 분자 생성 모델을 연구했습니다",
                "worked on molecular generative models for drug discovery",
            ),
        ),
        interests=(
            ("개인정보를 보호하는 연합학습", "privacy-preserving federated learning"),
            ("의료 데이터의 편향과 공정성", "bias and fairness in medical data"),
            ("단백질 언어 모델", "protein language models"),
        ),
        phd_subjects=("의료 영상 분할을 위한 딥러닝", "생체 신호 기반 부정맥 분류"),
        phd_field="09",
    ),
    Domain(
        code="security",
        ko="보안",
        en="Security",
        ksic_sections=("J",),
        trades=(("시큐리티", "Security"), ("시큐어", "Secure"), ("정보보호", "Infosec")),
        site="보안관제센터",
        skills=("침입 탐지", "악성코드 분석", "이상 탐지", "그래프 신경망", "자연어 처리", "로그 분석", "LLM 보안"),
        problems=(
            Problem(
                "보안관제 경보 우선순위 자동화",
                "하루 수만 건의 보안 경보 가운데 실제 위협을 가려내느라 관제 인력이 부족합니다",
                "6개월 치 경보 로그와 분석가 판정 결과",
            ),
            Problem(
                "피싱 메일 탐지 고도화",
                "생성형 AI로 작성된 정교한 피싱 메일이 기존 필터를 우회하고 있습니다",
                "비식별화된 메일 본문과 신고 이력",
            ),
            Problem(
                "사내 LLM 서비스 프롬프트 공격 방어",
                "사내 LLM 챗봇에 대한 프롬프트 주입 시도가 늘어 정보 유출 우려가 있습니다",
                "공격 시도 로그와 내부 보안 정책 문서",
            ),
        ),
        activities=(
            (
                "네트워크 침입 탐지 모델을 개발하고 관제에 적용했습니다",
                "developed network intrusion detection models used in a security operations centre",
            ),
            ("악성코드 자동 분류 시스템을 연구했습니다", "researched automated malware classification"),
        ),
        interests=(
            ("LLM 서비스의 보안과 안전성", "security and safety of LLM services"),
            ("그래프 기반 공격 경로 분석", "graph-based attack path analysis"),
        ),
        phd_subjects=("그래프 신경망 기반 침입 탐지", "악성코드 행위 분석을 위한 딥러닝"),
        phd_field="06",
    ),
    Domain(
        code="energy",
        ko="에너지",
        en="Energy",
        ksic_sections=("D",),
        trades=(("에너지", "Energy"), ("파워", "Power"), ("그리드", "Grid")),
        site="사업소",
        skills=("수요 예측", "시계열 분석", "최적화", "강화학습", "전력 계통", "이상 탐지"),
        problems=(
            Problem(
                "태양광 발전량 단기 예측",
                "구름 변화로 태양광 발전량이 급변해 계통 운영 예비력을 과도하게 확보하고 있습니다",
                "발전소 50곳의 15분 단위 발전량과 기상 데이터",
                site="태양광 발전단지",
            ),
            Problem(
                "건물 냉난방 에너지 최적 제어",
                "대형 건물의 냉난방 설비를 고정 스케줄로 운전해 에너지 낭비가 큽니다",
                "BEMS 운전 데이터와 실내 환경 센서 데이터",
            ),
            Problem(
                "변압기 고장 징후 조기 탐지",
                "노후 변압기의 절연 열화를 정기 점검으로만 확인해 고장을 미리 막지 못합니다",
                "유중 가스 분석 결과와 부하 이력",
            ),
        ),
        activities=(
            (
                "전력 수요 예측 모델을 개발해 계통 운영에 활용했습니다",
                "built electricity demand forecasts used in grid operation",
            ),
            ("재생에너지 발전량 예측을 연구했습니다", "researched renewable generation forecasting"),
        ),
        interests=(
            ("강화학습 기반 에너지 관리", "reinforcement learning for energy management"),
            ("분산 전원과 가상 발전소", "distributed generation and virtual power plants"),
        ),
        phd_subjects=("재생에너지 발전량 확률 예측", "전력 계통 운영을 위한 강화학습"),
        phd_field="07",
    ),
    Domain(
        code="finance",
        ko="금융",
        en="Finance",
        ksic_sections=("K",),
        trades=(("핀테크", "Fintech"), ("캐피탈", "Capital"), ("페이", "Pay")),
        site="본사",
        skills=("신용 평가", "이상 거래 탐지", "자연어 처리", "시계열 분석", "설명 가능한 AI", "LLM", "추천 시스템"),
        problems=(
            Problem(
                "소상공인 대안 신용평가 모델",
                "금융 이력이 짧은 소상공인은 기존 신용평가로 대출 심사를 통과하기 어렵습니다",
                "가맹점 매출 데이터와 대출 상환 이력",
            ),
            Problem(
                "간편결제 이상 거래 실시간 탐지",
                "명의 도용 결제가 늘고 있지만 규칙 기반 탐지는 오탐이 많아 고객 불편이 큽니다",
                "비식별화된 결제 로그 1억 건과 사고 신고 이력",
            ),
            Problem(
                "약관·공시 문서 질의응답",
                "상담원이 약관과 공시 문서에서 답을 찾느라 상담 시간이 길어집니다",
                "상품 약관, 공시 문서와 상담 기록",
            ),
        ),
        activities=(
            ("이상 거래 탐지 시스템을 설계하고 운영했습니다", "designed and ran fraud detection systems"),
            ("설명 가능한 신용평가 모델을 개발했습니다", "developed explainable credit scoring models"),
        ),
        interests=(
            ("금융 규제에 맞는 설명 가능한 AI", "explainable AI that meets financial regulation"),
            ("금융 문서 이해를 위한 LLM", "LLMs for financial document understanding"),
        ),
        phd_subjects=("그래프 기반 금융 사기 탐지", "시계열 딥러닝을 이용한 위험 예측"),
        phd_field="05",
    ),
    Domain(
        code="telecom",
        ko="통신",
        en="Telecommunications",
        ksic_sections=("J",),
        trades=(("텔레콤", "Telecom"), ("네트웍스", "Networks"), ("커넥트", "Connect")),
        site="네트워크센터",
        skills=("네트워크 최적화", "무선 통신", "이상 탐지", "강화학습", "시계열 분석", "엣지 AI"),
        problems=(
            Problem(
                "기지국 트래픽 예측 기반 절전",
                "야간 저부하 시간에도 기지국을 모두 가동해 전력 비용이 큽니다",
                "기지국별 시간대 트래픽과 전력 사용량",
            ),
            Problem(
                "네트워크 장애 근본 원인 분석",
                "장애 발생 시 수천 개 경보가 한꺼번에 올라와 원인 장비를 찾는 데 오래 걸립니다",
                "장애 티켓과 장비 경보 로그 2년 치",
            ),
        ),
        activities=(
            ("무선 자원 관리에 강화학습을 적용했습니다", "applied reinforcement learning to radio resource management"),
            ("네트워크 운영 자동화 시스템을 개발했습니다", "developed network operations automation"),
        ),
        interests=(
            ("6G를 위한 AI 네이티브 네트워크", "AI-native networks for 6G"),
            ("엣지 디바이스의 경량 모델", "lightweight models on edge devices"),
        ),
        phd_subjects=("무선 네트워크 자원 할당을 위한 심층 강화학습", "네트워크 트래픽 예측"),
        phd_field="06",
    ),
    Domain(
        code="space_quantum",
        ko="우주·양자",
        en="Space and Quantum",
        ksic_sections=("C", "M"),
        trades=(("스페이스", "Space"), ("에어로", "Aero"), ("퀀텀", "Quantum")),
        site="연구소",
        skills=("위성 영상 분석", "양자 컴퓨팅", "최적화", "신호 처리", "컴퓨터 비전", "고성능 컴퓨팅"),
        problems=(
            Problem(
                "위성 영상 변화 탐지",
                "재난 발생 후 위성 영상을 사람이 비교 판독해 피해 지역 파악에 하루 이상 걸립니다",
                "전후 시점 위성 영상 쌍과 피해 지역 라벨",
                site="위성 관제센터",
            ),
            Problem(
                "양자 회로 최적화 컴파일러",
                "양자 프로세서의 큐비트 연결 제약 때문에 회로 깊이가 늘어나 연산 오류가 커집니다",
                "벤치마크 회로 집합과 장비 보정 데이터",
            ),
        ),
        activities=(
            ("위성 영상 기반 지표 변화 탐지 모델을 개발했습니다", "developed change detection on satellite imagery"),
            ("양자 알고리즘과 회로 최적화를 연구했습니다", "researched quantum algorithms and circuit optimisation"),
        ),
        interests=(
            ("초소형 위성의 온보드 AI", "on-board AI for small satellites"),
            ("양자-고전 하이브리드 최적화", "hybrid quantum-classical optimisation"),
        ),
        phd_subjects=("합성개구레이더 영상의 딥러닝 분석", "양자 회로 매핑 최적화"),
        phd_field="05",
    ),
    Domain(
        code="home_appliances",
        ko="가전",
        en="Home Appliances",
        ksic_sections=("C",),
        trades=(("일렉트로닉스", "Electronics"), ("홈테크", "Hometech"), ("가전", "Appliance")),
        site="사업장",
        skills=("온디바이스 AI", "음성 인식", "추천 시스템", "이상 탐지", "임베디드 AI", "사용자 데이터 분석"),
        problems=(
            Problem(
                "세탁기 소음 기반 고장 진단",
                "서비스 기사가 방문해야만 세탁기 고장 원인을 알 수 있어 수리 비용이 커집니다",
                "제품 마이크 녹음 데이터와 수리 이력",
                site="서비스센터",
            ),
            Problem(
                "냉장고 식품 인식 온디바이스 모델",
                "냉장고 내부 카메라의 식품 인식 모델이 커서 저사양 칩에서 실시간으로 돌지 않습니다",
                "내부 카메라 이미지 3만 장과 식품 라벨",
            ),
            Problem(
                "에어컨 사용 패턴 기반 절전 추천",
                "사용자의 냉방 습관을 반영하지 못해 절전 모드 사용률이 낮습니다",
                "동의받은 사용 로그와 실내외 온도 데이터",
            ),
        ),
        activities=(
            (
                "가전 제품에 들어가는 온디바이스 음성 인식을 개발했습니다",
                "developed on-device speech recognition for home appliances",
            ),
            (
                "제품 센서 데이터로 고장 진단 모델을 만들었습니다",
                "built fault diagnosis models from product sensor data",
            ),
        ),
        interests=(
            ("저전력 칩에서의 모델 경량화", "model compression for low-power chips"),
            ("스마트홈 기기 간 연동 AI", "AI across connected home devices"),
        ),
        phd_subjects=("온디바이스 음성 인식 모델 경량화", "가전 센서 데이터의 고장 예측"),
        phd_field="06",
    ),
)

DOMAIN_BY_CODE: dict[str, Domain] = {d.code: d for d in DOMAINS}

#: Fields the ministry designates for the designated-field track; the open call takes any field.
DESIGNATED_FIELDS: tuple[str, ...] = ("semiconductors", "robotics", "bio_medical", "automotive", "manufacturing")

GENERIC_SKILLS: tuple[str, ...] = (
    "Python", "PyTorch", "머신러닝", "딥러닝", "데이터 분석", "MLOps", "LLM", "자연어 처리", "최적화", "통계",
)  # fmt: skip

CLOSINGS: tuple[str, ...] = (
    "AI 기반 개선 방안을 함께 연구할 전문가와 대학원생 연구팀을 찾습니다.",
    "현장 검증이 가능한 시제품 수준의 모델을 6개월 안에 만드는 것이 목표입니다.",
    "석사과정 AX 연구 프로젝트 주제로도 제안합니다. 기업 공동지도교수가 참여합니다.",
    "데이터 반출이 어려워 현장 또는 사내 환경에서 작업할 수 있는 분을 우대합니다.",
)

#: Cities by region, to say where a company's site is.
CITIES: dict[str, tuple[str, ...]] = {
    "KR-11": ("서울",),
    "KR-26": ("부산",),
    "KR-27": ("대구",),
    "KR-28": ("인천",),
    "KR-29": ("광주",),
    "KR-30": ("대전",),
    "KR-31": ("울산",),
    "KR-41": ("수원", "화성", "평택", "성남", "이천", "안산"),
    "KR-42": ("원주", "춘천"),
    "KR-43": ("청주", "충주"),
    "KR-44": ("아산", "천안", "당진"),
    "KR-45": ("전주", "군산"),
    "KR-46": ("여수", "나주"),
    "KR-47": ("구미", "포항"),
    "KR-48": ("창원", "거제"),
    "KR-49": ("제주",),
    "KR-50": ("세종",),
}

#: Where organizations are, weighted: the capital region and the big cities carry most of them.
REGION_WEIGHTS: tuple[tuple[str, int], ...] = (
    ("KR-11", 24), ("KR-41", 20), ("KR-30", 8), ("KR-26", 7), ("KR-27", 5), ("KR-28", 5), ("KR-29", 4),
    ("KR-31", 4), ("KR-44", 4), ("KR-47", 4), ("KR-48", 4), ("KR-43", 3), ("KR-45", 2), ("KR-46", 2),
    ("KR-42", 2), ("KR-50", 1), ("KR-49", 1),
)  # fmt: skip

#: Name stems (ko, Latin) shared by the made-up universities and companies.
STEMS: tuple[tuple[str, str], ...] = (
    ("한빛", "Hanbit"), ("누리", "Nuri"), ("가람", "Garam"), ("새솔", "Saesol"), ("미르", "Mir"),
    ("다온", "Daon"), ("한울", "Hanul"), ("온누리", "Onnuri"), ("푸른바다", "Pureunbada"), ("별빛", "Byeolbit"),
    ("늘봄", "Neulbom"), ("나래", "Narae"), ("슬기", "Seulgi"), ("여울", "Yeoul"), ("아라", "Ara"),
    ("보람", "Boram"), ("하늘", "Haneul"), ("은빛", "Eunbit"), ("한결", "Hangyeol"), ("다솜", "Dasom"),
    ("해오름", "Haeoreum"), ("미리내", "Mirinae"), ("라온", "Raon"), ("가온", "Gaon"), ("단비", "Danbi"),
    ("바른", "Bareun"), ("새빛", "Saebit"), ("한솔", "Hansol"), ("솔빛", "Solbit"), ("마루", "Maru"),
    ("초록", "Chorok"), ("이음", "Ieum"), ("참빛", "Chambit"),
)  # fmt: skip

#: University name endings (ko, en format with {stem}).
UNIVERSITY_FORMS: tuple[tuple[str, str], ...] = (
    ("{stem}과학기술대학교", "{stem} University of Science and Technology"),
    ("{stem}대학교", "{stem} University"),
    ("{stem}공과대학교", "{stem} Institute of Technology"),
    ("국립{stem}대학교", "{stem} National University"),
)

RESEARCH_INSTITUTES: tuple[tuple[str, str, str], ...] = (
    ("국가AX융합연구원", "National AX Convergence Research Institute", "KR-30"),
    ("미래지능로봇연구소", "Future Intelligent Robotics Institute", "KR-47"),
    ("차세대반도체연구원", "Next-Generation Semiconductor Research Institute", "KR-41"),
    ("디지털바이오헬스연구원", "Digital Bio-Health Research Institute", "KR-43"),
)

MINISTRY = ("과학기술정보통신부", "Ministry of Science and ICT", "KR-50")

#: Country -> invented research universities, institutes and company labs abroad.
OVERSEAS_INSTITUTIONS: dict[str, tuple[str, ...]] = {
    "US": (
        "Bayview Institute of Technology", "University of Northfield", "Lakeshore State University",
        "Redwood AI Research", "Cascade Semiconductor Inc.",
    ),
    "DE": ("Technische Universität Rheinau", "Universität Lindenberg", "Institut für Intelligente Systeme Nordhafen"),
    "JP": ("Kanto Institute of Science", "Seiran University", "Minato Robotics Research Center"),
    "GB": ("University of Westmoor", "Kingsbridge Institute for AI", "Ashford College of Engineering"),
    "CA": ("University of Maple Ridge", "Northern Lights AI Institute"),
    "SG": ("Straits University of Technology", "Marina Institute for Infocomm Research"),
    "FR": ("Université de Belmont", "Institut du Numérique de Valcourt"),
    "CH": ("Alpine Institute of Technology",),
    "AU": ("University of the Eastern Coast",),
    "NL": ("Delta University of Technology",),
}  # fmt: skip

#: Where returning researchers took their PhDs and worked, weighted.
OVERSEAS_COUNTRY_WEIGHTS: tuple[tuple[str, int], ...] = (
    ("US", 45), ("DE", 10), ("JP", 9), ("GB", 9), ("CA", 7), ("SG", 6), ("FR", 4), ("CH", 4), ("AU", 3), ("NL", 3),
)  # fmt: skip

POSITION_TITLES: tuple[str, ...] = (
    "Postdoctoral Researcher",
    "Research Scientist",
    "Senior Research Scientist",
    "Assistant Professor",
    "Associate Professor",
    "Staff Engineer",
    "Principal Engineer",
)

LEAVE_REASONS: tuple[str, ...] = ("일반휴학", "일반휴학", "일반휴학", "질병휴학", "창업휴학", "육아휴학")
WITHDRAWAL_REASONS: tuple[str, ...] = ("자퇴 (취업)", "자퇴 (진로 변경)", "자퇴 (개인 사정)", "자퇴 (해외 유학)")
