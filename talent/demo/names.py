"""Name pools for the demo data: Korean family and given names with the Latin spellings people actually use,
and Latin-only names for students and researchers of other nationalities. Plain data, no randomness here.
"""

from __future__ import annotations

#: (hangul, usual Latin spelling, weight): family names with roughly their share of the population
#: (2015 census, per ten thousand), so that 김, 이 and 박 make up about 45 %.
FAMILY_NAMES: tuple[tuple[str, str, int], ...] = (
    ("김", "Kim", 2150),
    ("이", "Lee", 1470),
    ("박", "Park", 840),
    ("최", "Choi", 470),
    ("정", "Jung", 430),
    ("강", "Kang", 240),
    ("조", "Cho", 210),
    ("윤", "Yoon", 210),
    ("장", "Jang", 200),
    ("임", "Lim", 170),
    ("한", "Han", 150),
    ("오", "Oh", 150),
    ("서", "Seo", 150),
    ("신", "Shin", 150),
    ("권", "Kwon", 140),
    ("황", "Hwang", 140),
    ("안", "Ahn", 130),
    ("송", "Song", 130),
    ("전", "Jeon", 110),
    ("홍", "Hong", 110),
    ("유", "Yoo", 110),
    ("고", "Ko", 90),
    ("문", "Moon", 90),
    ("양", "Yang", 90),
    ("손", "Son", 90),
    ("배", "Bae", 80),
    ("백", "Baek", 70),
    ("허", "Heo", 60),
    ("남", "Nam", 55),
    ("심", "Shim", 50),
    ("노", "Noh", 45),
    ("하", "Ha", 45),
    ("곽", "Kwak", 40),
    ("성", "Sung", 40),
    ("차", "Cha", 40),
    ("주", "Joo", 40),
    ("우", "Woo", 40),
    ("구", "Koo", 40),
    ("민", "Min", 35),
    ("류", "Ryu", 30),
    ("나", "Na", 30),
    ("진", "Jin", 30),
    ("지", "Ji", 30),
    ("엄", "Eom", 30),
    ("채", "Chae", 25),
    ("원", "Won", 25),
    ("천", "Cheon", 25),
    ("방", "Bang", 20),
    ("공", "Kong", 20),
    ("현", "Hyun", 20),
    ("함", "Ham", 15),
    ("변", "Byun", 15),
    ("염", "Yeom", 15),
    ("여", "Yeo", 15),
    ("추", "Choo", 12),
    ("도", "Do", 10),
    ("소", "So", 10),
    ("석", "Seok", 10),
    ("선", "Sun", 10),
    ("설", "Seol", 10),
    ("마", "Ma", 8),
    ("길", "Gil", 8),
    ("연", "Yeon", 8),
    ("위", "Wi", 6),
    ("표", "Pyo", 6),
    ("명", "Myung", 5),
    ("기", "Ki", 5),
    ("반", "Ban", 5),
    ("왕", "Wang", 5),
    ("금", "Keum", 4),
    ("옥", "Ok", 4),
    ("육", "Yook", 4),
    ("인", "In", 4),
    ("맹", "Maeng", 3),
    ("제", "Je", 3),
    ("탁", "Tak", 3),
    ("국", "Kook", 3),
    ("남궁", "Namgoong", 3),
    ("황보", "Hwangbo", 2),
    ("제갈", "Jegal", 2),
    ("선우", "Sunwoo", 2),
)

# Given names popular for people born in the 1990s and 2000s (the students) ...
YOUNG_MALE_NAMES: tuple[tuple[str, str], ...] = (
    ("민준", "Minjun"), ("서준", "Seojun"), ("도윤", "Doyun"), ("예준", "Yejun"), ("시우", "Siwoo"),
    ("하준", "Hajun"), ("주원", "Juwon"), ("지호", "Jiho"), ("지후", "Jihu"), ("준우", "Junwoo"),
    ("준서", "Junseo"), ("건우", "Geonwoo"), ("현우", "Hyunwoo"), ("지훈", "Jihoon"), ("우진", "Woojin"),
    ("선우", "Sunwoo"), ("서진", "Seojin"), ("민재", "Minjae"), ("현준", "Hyunjun"), ("연우", "Yeonwoo"),
    ("유준", "Yujun"), ("정우", "Jungwoo"), ("승우", "Seungwoo"), ("승현", "Seunghyun"), ("시윤", "Siyoon"),
    ("준혁", "Junhyuk"), ("은우", "Eunwoo"), ("지환", "Jihwan"), ("승민", "Seungmin"), ("지우", "Jiwoo"),
    ("민성", "Minsung"), ("동현", "Donghyun"), ("재원", "Jaewon"), ("태윤", "Taeyoon"), ("민혁", "Minhyuk"),
    ("성민", "Sungmin"), ("준영", "Junyoung"), ("상현", "Sanghyun"), ("재민", "Jaemin"), ("도현", "Dohyun"),
    ("윤호", "Yoonho"), ("태현", "Taehyun"), ("진혁", "Jinhyuk"), ("한결", "Hangyeol"), ("수호", "Suho"),
)  # fmt: skip
YOUNG_FEMALE_NAMES: tuple[tuple[str, str], ...] = (
    ("서연", "Seoyeon"), ("서윤", "Seoyoon"), ("지우", "Jiwoo"), ("서현", "Seohyun"), ("민서", "Minseo"),
    ("하은", "Haeun"), ("하윤", "Hayoon"), ("윤서", "Yoonseo"), ("지유", "Jiyu"), ("지민", "Jimin"),
    ("채원", "Chaewon"), ("지윤", "Jiyoon"), ("은서", "Eunseo"), ("수아", "Sua"), ("다은", "Daeun"),
    ("예은", "Yeeun"), ("수빈", "Subin"), ("지아", "Jia"), ("소윤", "Soyoon"), ("예린", "Yerin"),
    ("유진", "Yujin"), ("수민", "Sumin"), ("지현", "Jihyun"), ("민지", "Minji"), ("예진", "Yejin"),
    ("혜원", "Hyewon"), ("지은", "Jieun"), ("나연", "Nayeon"), ("다현", "Dahyun"), ("하린", "Harin"),
    ("가은", "Gaeun"), ("유나", "Yuna"), ("채은", "Chaeeun"), ("소연", "Soyeon"), ("시은", "Sieun"),
    ("은채", "Eunchae"), ("예원", "Yewon"), ("수연", "Suyeon"), ("다인", "Dain"), ("서영", "Seoyoung"),
)  # fmt: skip

# ... and for people born from the 1960s to the 1980s (faculty, company engineers, returning researchers).
OLDER_MALE_NAMES: tuple[tuple[str, str], ...] = (
    ("성호", "Sungho"), ("영수", "Youngsoo"), ("정훈", "Junghoon"), ("상훈", "Sanghoon"), ("성진", "Sungjin"),
    ("준호", "Junho"), ("재훈", "Jaehoon"), ("동욱", "Dongwook"), ("민호", "Minho"), ("진우", "Jinwoo"),
    ("현석", "Hyunseok"), ("종현", "Jonghyun"), ("경민", "Kyungmin"), ("병철", "Byungchul"), ("상철", "Sangchul"),
    ("기훈", "Kihoon"), ("성훈", "Sunghoon"), ("재현", "Jaehyun"), ("영호", "Youngho"), ("태호", "Taeho"),
    ("승철", "Seungchul"), ("동훈", "Donghoon"), ("정민", "Jungmin"), ("광수", "Kwangsoo"), ("재성", "Jaesung"),
    ("용준", "Yongjun"), ("석진", "Seokjin"), ("형준", "Hyungjun"), ("민석", "Minseok"), ("창민", "Changmin"),
    ("윤석", "Yoonseok"), ("상민", "Sangmin"), ("대현", "Daehyun"), ("준석", "Junseok"), ("성우", "Sungwoo"),
)  # fmt: skip
OLDER_FEMALE_NAMES: tuple[tuple[str, str], ...] = (
    ("미영", "Miyoung"), ("은영", "Eunyoung"), ("지영", "Jiyoung"), ("혜진", "Hyejin"), ("소영", "Soyoung"),
    ("정은", "Jungeun"), ("수진", "Sujin"), ("은지", "Eunji"), ("현정", "Hyunjung"), ("선영", "Sunyoung"),
    ("미정", "Mijung"), ("경희", "Kyunghee"), ("수정", "Sujung"), ("혜영", "Hyeyoung"), ("지혜", "Jihye"),
    ("은정", "Eunjung"), ("미경", "Mikyung"), ("윤정", "Yoonjung"), ("보람", "Boram"), ("슬기", "Seulgi"),
    ("민정", "Minjung"), ("세영", "Seyoung"), ("주연", "Juyeon"), ("혜림", "Hyerim"), ("은주", "Eunju"),
    ("희정", "Heejung"), ("유경", "Yookyung"), ("선희", "Sunhee"), ("재희", "Jaehee"), ("지은", "Jieun"),
)  # fmt: skip

#: Nationality -> (family names, given names), Latin letters only: how such names appear in Korean records.
FOREIGN_NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "CN": (
        ("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu"),
        ("Wei", "Fang", "Jing", "Lei", "Min", "Yan", "Hao", "Xin", "Jie", "Tao", "Yue", "Ning"),
    ),
    "VN": (
        ("Nguyen", "Tran", "Le", "Pham", "Hoang", "Phan", "Vu", "Dang"),
        ("Van An", "Thi Lan", "Minh Duc", "Thu Trang", "Quang Huy", "Ngoc Anh", "Duc Minh", "Thanh Hai"),
    ),
    "IN": (
        ("Sharma", "Patel", "Kumar", "Singh", "Reddy", "Iyer", "Gupta", "Nair"),
        ("Priya", "Arjun", "Rahul", "Ananya", "Vikram", "Divya", "Karthik", "Sneha"),
    ),
    "UZ": (
        ("Karimov", "Abdullaev", "Rakhimova", "Yusupova", "Tursunov"),
        ("Aziz", "Dilnoza", "Jasur", "Malika", "Bekzod", "Nodira"),
    ),
    "MN": (
        ("Bat-Erdene", "Ganbold", "Enkhbayar", "Tserendorj"),
        ("Temuulen", "Anujin", "Bilguun", "Nomin"),
    ),
    "ID": (
        ("Santoso", "Wijaya", "Pratama", "Saputra"),
        ("Rizki", "Putri", "Dewi", "Adi"),
    ),
    "US": (
        ("Smith", "Johnson", "Miller", "Garcia", "Brown", "Davis"),
        ("Emily", "Daniel", "Sarah", "Michael", "Laura", "David"),
    ),
    "DE": (
        ("Mueller", "Schmidt", "Schneider", "Fischer", "Weber", "Wagner"),
        ("Lukas", "Anna", "Jonas", "Lea", "Felix", "Hannah"),
    ),
    "FR": (
        ("Martin", "Bernard", "Dubois", "Laurent", "Moreau"),
        ("Camille", "Louis", "Chloe", "Hugo", "Manon"),
    ),
}

#: Nationalities of graduate students other than Korean, with weights (of the ~6 % who are not Korean).
STUDENT_FOREIGN_NATIONALITIES: tuple[tuple[str, int], ...] = (
    ("CN", 40),
    ("VN", 25),
    ("IN", 12),
    ("UZ", 8),
    ("MN", 7),
    ("ID", 8),
)
