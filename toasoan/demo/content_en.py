"""Nội dung mẫu của ấn bản tiếng Anh (thông tin đối ngoại): tên chuyên mục, bản
dịch của một số bài trong content.py, hai bài chỉ có tiếng Anh và trang "Giới
thiệu – Liên hệ" hai thứ tiếng. Nhân vật và số liệu là hư cấu.
"""

from __future__ import annotations

# The Vietnamese section's key (content.SECTIONS) → its English page.
SECTIONS = {
    "thoi-su": ("News", "news"),
    "trong-tinh": ("Around the province", "around-the-province"),
    "xay-dung-dang": ("Party building", "party-building"),
    "thoi-tiet": ("Weather and disasters", "weather"),
    "kinh-te": ("Economy", "economy"),
    "dau-tu": ("Investment and business", "investment"),
    "nong-nghiep-nong-thon": ("Agriculture and rural life", "agriculture"),
    "nong-thon-moi": ("New rural development", "new-rural-development"),
    "xa-hoi": ("Society", "society"),
    "giao-thong": ("Transport", "transport"),
    "ban-doc": ("Readers", "readers"),
    "giao-duc": ("Education", "education"),
    "suc-khoe": ("Health", "health"),
    "van-hoa-the-thao": ("Culture and sport", "culture-and-sport"),
    "the-thao": ("Sport", "sport"),
    "le-hoi": ("Festivals and travel", "festivals-and-travel"),
}

# Translations: "original" is the Vietnamese title in content.ARTICLES.
TRANSLATIONS = [
    {
        "original": "Nông dân Thái Bình thu hoạch lúa mùa, năng suất ước đạt trên 62 tạ mỗi héc-ta",
        "title": "Thai Binh farmers harvest the main rice crop, yields above 6.2 tonnes a hectare",
        "lead": "In early October farmers from Hung Ha to Tien Hai are bringing in the main-season rice. Good weather and well-controlled pests have made this year's yields higher than last year's.",
        "body": [
            "The province planted more than 76,000 hectares of rice this season, over 55% of it high-quality varieties. Average yields are estimated at more than 6.2 tonnes a hectare, about 150 kilograms more than a year ago.",
            "In Minh Tan commune, Hung Ha district, dozens of combine harvesters start work at dawn. Farmers sell their rice in the field at good prices, and straw is now composted instead of burnt.",
        ],
        "keywords": ["rice", "agriculture", "Hung Ha"],
        "caption": "A combine harvester in the fields of Minh Tan commune, Hung Ha district",
        "views": 612,
    },
    {
        "original": "Bão số 8 tiến gần đất liền, Thái Bình yêu cầu hoàn thành sơ tán dân trước 17 giờ",
        "title": "Typhoon No. 8 nears the coast; Thai Binh orders evacuations completed by 5 pm",
        "lead": "With the storm expected to make landfall overnight, the provincial steering committee for disaster prevention told coastal districts to move residents of weak houses and fish farms to safety before 5 pm.",
        "body": [
            "Thai Thuy and Tien Hai districts are evacuating more than 7,000 people from dykes, fish ponds and clam farms. Boats have been called back to shore and anchored.",
            "Schools in coastal communes closed for the day, and the power company has crews ready to restore lines as soon as the wind drops.",
        ],
        "keywords": ["typhoon", "disaster prevention", "Thai Thuy"],
        "caption": "Border guards help residents of Thai Do commune move to a storm shelter",
        "views": 1534,
    },
    {
        "original": "Chỉ số sản xuất công nghiệp 9 tháng của tỉnh tăng hơn 14% so với cùng kỳ",
        "title": "Industrial production up more than 14% in the first nine months",
        "lead": "The province's index of industrial production rose by 14.3% year on year in the first nine months, led by electricity, textiles and electronic components.",
        "body": [
            "Manufacturing and processing grew by 15.1%. New plants in the Thai Binh Economic Zone added most of the growth, and exports reached US$2.4 billion.",
            "The provincial statistics office expects the year's target to be met if orders hold up in the last quarter.",
        ],
        "keywords": ["industry", "economy"],
        "caption": "A production line at a textile company in Tien Hai industrial park",
        "views": 488,
    },
    {
        "original": "Khu kinh tế Thái Bình đón thêm ba dự án với tổng vốn hơn 400 triệu USD",
        "title": "Thai Binh Economic Zone welcomes three projects worth over US$400 million",
        "lead": "Investment certificates were handed to three projects in electronics, renewable energy equipment and logistics, bringing the zone's foreign investment this year above US$1 billion.",
        "body": [
            "The largest, an electronic components plant, will employ about 3,000 workers when it reaches full capacity in 2028.",
            "The provincial People's Committee promised to keep land clearance and administrative procedures on schedule for every investor.",
        ],
        "keywords": ["investment", "economic zone"],
        "caption": "Investors receive their certificates at the ceremony in Thai Binh city",
        "views": 2105,
    },
    {
        "original": "Hơn 30 doanh nghiệp Nhật Bản tìm hiểu cơ hội đầu tư vào các khu công nghiệp của tỉnh",
        "title": "More than 30 Japanese companies explore investment in the province's industrial parks",
        "lead": "A delegation of Japanese businesses visited Lien Ha Thai and Tien Hai industrial parks to look at land, infrastructure and the local workforce.",
        "body": [
            "The visitors asked about power supply, water treatment and training for skilled workers. Provincial leaders presented the incentives available in the economic zone.",
            "Several companies said they would return next year with concrete projects in precision engineering and food processing.",
        ],
        "keywords": ["investment", "Japan"],
        "caption": "Japanese business representatives visit Lien Ha Thai industrial park",
        "views": 1320,
    },
    {
        "original": "Hàng vạn du khách về dự Lễ hội chùa Keo mùa thu năm 2026",
        "title": "Tens of thousands of visitors attend the autumn Keo Pagoda Festival",
        "lead": "The autumn festival at Keo Pagoda, one of the finest examples of 17th-century Vietnamese architecture, drew tens of thousands of visitors from across the country.",
        "body": [
            "Besides the ceremonies, visitors watched the rice-cooking contest, boat races on the pond and the famous bell tower lit at night.",
            "Vu Thu district arranged parking, security and medical stations so that the festival ran safely.",
        ],
        "keywords": ["Keo Pagoda", "festival", "tourism"],
        "caption": "Boat racing on the pond in front of Keo Pagoda",
        "views": 2890,
    },
    {
        "original": "Hưng Hà có thêm 12 sản phẩm đạt chuẩn OCOP, mở rộng đầu ra cho nông sản địa phương",
        "title": "Hung Ha gains 12 more OCOP-certified products",
        "lead": "Twelve more local products from Hung Ha district, from rice crackers to herbal tea, have been certified under the One Commune One Product programme.",
        "body": [
            "Certification helps producers reach supermarkets and online shops in Hanoi and Hai Phong.",
            "The district now has 64 OCOP products, eight of them rated four stars.",
        ],
        "keywords": ["OCOP", "Hung Ha"],
        "caption": "Rice crackers made by a cooperative in Hung Ha district",
        "views": 377,
    },
    {
        "original": "Thông xe đoạn đường bộ ven biển qua Thái Thụy, rút ngắn hành trình đi Hải Phòng",
        "title": "Coastal road section through Thai Thuy opens, shortening the trip to Hai Phong",
        "lead": "The section of the coastal highway through Thai Thuy district opened to traffic, cutting the drive from Thai Binh's coast to Hai Phong by about 30 minutes.",
        "body": [
            "The 18-kilometre section includes a bridge over the Diem Ho river and links the Thai Binh Economic Zone with the port of Hai Phong.",
            "The road is expected to attract investors to the coastal districts and bring more tourists to the beaches of Dong Chau and Con Vanh.",
        ],
        "keywords": ["coastal road", "transport", "Thai Thuy"],
        "caption": "The first vehicles on the new coastal road in Thai Thuy district",
        "views": 1768,
    },
    {
        "original": "Nhà hát Chèo Thái Bình ra mắt vở diễn mới về người nông dân thời kỳ đổi mới",
        "title": "Thai Binh Cheo Theatre premieres a new play about farmers in the Doi Moi years",
        "lead": "The provincial Cheo Theatre staged a new play about a farming family in the years of economic renewal, in the traditional popular opera of the Red River delta.",
        "body": [
            "Thai Binh is known as the homeland of cheo, and the theatre tours villages as well as cities.",
            "The play will be performed at the national cheo festival next year.",
        ],
        "keywords": ["cheo", "culture"],
        "caption": "Actors of the Thai Binh Cheo Theatre on stage",
        "views": 254,
    },
]

# Written for foreign readers only: no Vietnamese original.
ENGLISH_ONLY = [
    {
        "title": "Thai Binh at a glance: a guide for visitors and investors",
        "section": "le-hoi",
        "lead": "Two hours from Hanoi by road, Thai Binh is a coastal province of rice fields, pagodas and a growing economic zone. Here is what visitors and investors should know.",
        "body": [
            "The province has about 1.9 million people and 50 kilometres of coastline. Its best-known sights are Keo Pagoda, the Tran dynasty temples in Hung Ha and the beaches of Dong Chau.",
            "The Thai Binh Economic Zone on the coast offers land for industry, a deep-water port project and links to the coastal highway.",
            "Visitors can reach the province by bus from Hanoi and Hai Phong; hotels in Thai Binh city accept international bookings.",
        ],
        "keywords": ["tourism", "investment", "Thai Binh"],
        "caption": "Rice fields and a village pagoda in Vu Thu district",
        "colour": "#2e7d32",
        "published_at": "2026-10-20 09:00:00",
        "views": 940,
    },
    {
        "title": "Investors' questions answered: land, labour and logistics in Thai Binh",
        "section": "dau-tu",
        "lead": "The provincial investment promotion centre answers the questions foreign companies ask most often.",
        "body": [
            "Land in the industrial parks is leased for up to 50 years, with rent exemptions in the first years for projects in priority sectors.",
            "The province trains about 20,000 workers a year in its vocational schools, and most parks run dormitories for workers.",
            "Goods reach Hai Phong port in about an hour on the coastal road, and Noi Bai airport in two and a half hours.",
        ],
        "keywords": ["investment", "FAQ"],
        "caption": "Tien Hai industrial park seen from the air",
        "colour": "#1565c0",
        "published_at": "2026-10-22 08:30:00",
        "views": 1210,
    },
]

ABOUT = {
    "vi": {
        "title": "Giới thiệu – Liên hệ",
        "slug": "gioi-thieu-lien-he",
        "intro": "Đài Phát thanh và Truyền hình Thái Bình (bản trình diễn) là cơ quan báo chí của tỉnh.",
        "body": [
            "Đài phát sóng phát thanh, truyền hình và điện tử, đưa tin về hoạt động của tỉnh tới bạn đọc trong và ngoài nước.",
            "Mọi ý kiến, tin bài cộng tác xin gửi về địa chỉ dưới đây; tòa soạn trả lời trong giờ hành chính.",
        ],
    },
    "en": {
        "title": "About us – Contact",
        "slug": "about",
        "intro": "Thai Binh Radio and Television (demo) is the province's news organisation.",
        "body": [
            "We broadcast radio and television and publish online news about Thai Binh for readers at home and abroad.",
            "Foreign visitors, investors and journalists can reach the newsroom at the address below during office hours.",
        ],
    },
}

# The outlet as the English edition names it (its home page's fields).
EDITION = {
    "outlet_name": "Thai Binh Radio and Television (demo)",
    "governing_agency": "Thai Binh Provincial People's Committee",
    "address": "1 Mau Street, Thai Binh City, Thai Binh Province",
}
