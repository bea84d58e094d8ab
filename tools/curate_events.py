"""Build ``events.json`` from the curated event definitions below, computing every quote offset by code.

Each event lists its quotes as exact phrases; :func:`timeline_tui.core.quote.locate` finds them in the
source text and the script fails on a phrase that is missing or ambiguous, on a quote that falls in a
source's boilerplate (menus, share bars, sidebars), on a tag outside the vocabulary, and on any problem
the loader's validator reports. Offsets are therefore never typed by hand, and the data is reproducible:

    .venv/bin/python tools/curate_events.py           # write events.json
    .venv/bin/python tools/curate_events.py --check   # exit 1 if events.json differs from the definitions

See ``docs/data.md`` for publication dates, boilerplate regions and the dating of each passage.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from timeline_tui.core.atomicio import atomic_write_text
from timeline_tui.core.dates import parse_edtf
from timeline_tui.core.loader import check
from timeline_tui.core.quote import QuoteNotFound, locate

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "events.json"

TITLE = "China and Russia: the WWII alliance and its memory, 1937-2025"
SPAN = {"start": "1937", "end": "2025"}

#: The tag vocabulary (documented in docs/data.md). Every event uses only these.
TAGS = (
    "war",  # fighting, campaigns, the war as a whole
    "military",  # armed forces, parades, missiles: military matters outside combat too
    "diplomacy",  # talks, calls, meetings between leaders, statements of policy
    "visit",  # a leader travelling to the other country
    "agreement",  # signed pacts, joint statements, cooperation documents
    "multilateral",  # the UN, BRICS, SCO and other multi-country frameworks
    "trade",  # trade figures, fairs, business links
    "energy",  # oil and gas pipelines
    "commemoration",  # anniversaries, ceremonies, parades and memorials of the war
    "media",  # articles, interviews and other publications
    "people",  # individual lives: veterans, descendants, tourists
)

SOURCES: list[dict[str, str]] = [
    {
        "id": "gdtoday-2025-alyosha-interview",
        "title": "China and Russia pass on torch of friendship 80 years since the WWII victory: Alyosha",
        "publisher": "GDToday",
        "published": "2025?",
        "path": "sources/000_c01bec904769cbd2.txt",
    },
    {
        "id": "xinhua-2010-hu-veterans",
        "title": "Wartime forges lasting Sino-Russian friendship",
        "publisher": "Xinhua",
        "published": "2010-05-09",
        "path": "sources/001_b5c1e5e3e03559da.txt",
    },
    {
        "id": "daily8-2025-voice-from-china",
        "title": "Voice from China: This is why Moscow and Beijing stand together, now more than ever",
        "publisher": "Daily8",
        "published": "2025-05?",
        "path": "sources/002_76de481e677b0f16.txt",
    },
    {
        "id": "xinhua-2025-xi-visit-preview",
        "title": "Xi Jinping's state visit to Russia for the 80th anniversary of victory (untitled preview)",
        "publisher": "Xinhua",
        "published": "2025-05?",
        "path": "sources/003_bc9f64f74030027a.txt",
    },
    {
        "id": "web-2025-xi-putin-wwii-legacy",
        "title": "Xi and Putin Unite to Defend WWII Victory Legacy",
        "publisher": "Unnamed website (publisher not stated)",
        "published": "2025-05?",
        "path": "sources/004_b4e114d764c2d9e3.txt",
    },
]

#: Text that is not the article: (start marker, end marker or None for end of file). A region runs from
#: the start of its start marker to the end of its end marker. No quote may overlap one.
BOILERPLATE: dict[str, list[tuple[str, str | None]]] = {
    "gdtoday-2025-alyosha-interview": [
        ("• Mobile version", "• App"),  # site navigation / social menu
        ("Reporter: Guo Zedong", None),  # production credits, "Tags :", "Related News"
    ],
    "xinhua-2010-hu-veterans": [
        ("Email\u00a0|\u00a0Print", "Forum\u00a0"),  # share bar
        ("【1】", None),  # pagination, comment prompt and photo captions of unrelated stories
    ],
    "daily8-2025-voice-from-china": [
        ("Hashtags", None),  # AI-feature promo, comments, "Related Articles" (three Russia Today stories)
    ],
    "xinhua-2025-xi-visit-preview": [],
    "web-2025-xi-putin-wwii-legacy": [
        ("Xi_and_Putin_Unite_to_Defend_WWII_Victory_Legacy", "_Legacy"),  # URL slug line
        ("Leave a Reply", None),  # comment form and "Back To Top"
    ],
}

GD = "gdtoday-2025-alyosha-interview"
XH10 = "xinhua-2010-hu-veterans"
D8 = "daily8-2025-voice-from-china"
XH25 = "xinhua-2025-xi-visit-preview"
WEB = "web-2025-xi-putin-wwii-legacy"

ERAS: list[dict[str, str]] = [
    {"id": "war-of-resistance", "title": "War of Resistance Against Japanese Aggression", "date": "1937/1945"},
    {"id": "great-patriotic-war", "title": "Great Patriotic War (Eastern Front of WWII)", "date": "1941/1945"},
    {"id": "post-soviet-partnership", "title": "Post-Soviet China–Russia partnership", "date": "1992/2025"},
]

# Quote phrases are copied character for character from the sources (curly apostrophes, em dashes and
# straight quotes as they appear). A quote is (source id, phrase) or (source id, phrase, occurrence).
Q = tuple[str, str] | tuple[str, str, int]

EVENTS: list[dict[str, Any]] = [
    {
        "id": "1937-1945-war-of-resistance",
        "date": "1937/1945",
        "date_basis": '"the eight-year Anti-Japanese War (1937-1945)" (stated, XH 2010)',
        "title": "China's eight-year War of Resistance against Japan",
        "summary": "China fought Japanese aggression for eight years, from 1937 to 1945; the Soviet entry into "
        "the Northeast in August 1945 helped bring the war to its end.",
        "tags": ["war"],
        "quotes": [
            (XH10, "In August 1945, the Soviet Red Army marched into China's northeast provinces and joined the "
             "Chinese army in combat with the aggressors to help wrap up the eight-year Anti-Japanese War "
             "(1937-1945)."),
        ],
    },
    {
        "id": "1937-1945-china-soviet-fight-side-by-side",
        "date": "1937/1945",
        "date_basis": '"Eight decades ago ... during China\'s War of Resistance" (web 2025) and "Eighty years ago" '
        '(Daily8 2025) resolved against 2025; "More than 80 years ago" (Xinhua 2025) points before 1945. The war '
        'is dated 1937-1945 by the 2010 Xinhua article, so the joint struggle is given that interval.',
        "title": "China and the Soviet Union fight side by side against fascism",
        "summary": "Soviet forces fought alongside Chinese troops in Nanjing, Wuhan and Chongqing, while China "
        "sent resources and intelligence to the Soviet Union; the two countries were major battlefields of Asia "
        "and Europe.",
        "tags": ["war", "military"],
        "quotes": [
            (WEB, "Eight decades ago, China and the Soviet Union stood united against fascism. Soviet forces "
             "fought alongside Chinese troops in cities like Nanjing, Wuhan and Chongqing during China's War of "
             "Resistance Against Japanese Aggression. Meanwhile, China supplied critical resources and frontline "
             "intelligence to the Soviet Union at a time when every bit of support was vital for turning the "
             "tide on the Eastern Front."),
            (D8, "Eighty years ago, China and the Soviet Union fought side by side in the World Anti-Fascist War "
             "(World War II), forging a deep friendship through shared sacrifice."),
            (XH25, "More than 80 years ago, people from China, the Soviet Union and other countries fought side "
             "by side, securing victory in the World Anti-Fascist War and opening a new chapter in human history."),
            (XH25, "More than 80 years ago, China and Russia as major battlefields of Asia and Europe during World "
             "War II made a tremendous sacrifice and indelible contribution to their ultimate victory."),
        ],
    },
    {
        "id": "1945-08-soviet-red-army-northeast-china",
        "date": "1945-08",
        "date_basis": '"In August 1945" (stated twice, XH 2010); "65 years ago" in an article published '
        "2010-05-09 agrees on the year",
        "title": "Soviet Red Army enters Northeast China",
        "summary": "The Soviet Red Army marched into China's northeast provinces and fought the Japanese alongside "
        "the Chinese army; some 34,500 Soviet soldiers who died there are commemorated at 74 memorials in China.",
        "tags": ["war", "military"],
        "quotes": [
            (XH10, "In August 1945, the Soviet Red Army marched into China's northeast provinces and joined the "
             "Chinese army in combat with the aggressors"),
            (XH10, "Chinese President Hu Jintao, while meeting in Moscow on Saturday with Russian veterans who "
             "fought Japanese aggressor troops in Northeast China in August 1945, honored their great "
             "contributions."),
            (XH10, "According to the Russian Embassy in China, China is home to 74 memorials commemorating around "
             "34,500 Soviet soldiers who lost their lives in the military operations 65 years ago."),
        ],
    },
    {
        "id": "1945-un-charter-signed",
        "date": "1945",
        "date_basis": '"the birth of the United Nations in 1945" (stated, web 2025); "Eighty years ago" in the '
        "Xinhua preview (published May 2025, inferred) resolves to 1945 and agrees; no month is given",
        "title": "China and the Soviet Union sign the UN Charter",
        "summary": "Representatives of several countries, China and the Soviet Union among the first, signed the "
        "UN Charter in San Francisco, founding the United Nations and the post-war order.",
        "tags": ["multilateral", "diplomacy", "agreement"],
        "quotes": [
            (WEB, "Central to their message was the birth of the United Nations in 1945. China and the Soviet "
             "Union were among the first signatories of the UN Charter, laying the groundwork for postwar "
             "multilateral cooperation."),
            (XH25, "Eighty years ago, representatives from several countries, including China and the Soviet "
             "Union, gathered in the U.S. San Francisco city to sign the UN Charter and laid the cornerstone of "
             "the postwar international order."),
        ],
    },
    {
        "id": "1945-victory-over-fascism",
        "date": "1945",
        "date_basis": '"65 years since the end of World War II" and "65 years ago" in an article published '
        '2010-05-09; "80 years since the WWII victory" in a 2025 article',
        "title": "Victory over fascism ends the Second World War",
        "summary": "The Second World War ended in the victory of the anti-fascist allies, won with great sacrifices "
        "by the Chinese and Soviet peoples and forging their friendship.",
        "tags": ["war"],
        "quotes": [
            (XH10, "It has been 65 years since the end of World War II, yet history will always remember the great "
             "contributions and sacrifices made by both the Chinese and Soviet peoples."),
            (XH10, "The honor-awarding ceremony reminds the world again that both the Chinese and Russian peoples "
             "value their friendship forged in the anti-fascist war 65 years ago."),
            (GD, "China and Russia pass on torch of friendship 80 years since the WWII victory: Alyosha"),
        ],
    },
    {
        "id": "2005-hu-attends-60th-anniversary",
        "date": "2005",
        "date_basis": '"In 2005" (stated, XH 2010)',
        "title": "Hu Jintao attends the 60th-anniversary ceremony of the end of the Great Patriotic War",
        "summary": "Chinese President Hu Jintao attended the ceremony marking 60 years since the end of the Soviet "
        "Great Patriotic War.",
        "tags": ["commemoration", "visit", "diplomacy"],
        "quotes": [
            (XH10, "In 2005, Hu attended the ceremony marking the 60th anniversary of the end of the Great "
             "Patriotic War."),
        ],
    },
    {
        "id": "2005-liu-weining-canton-fair",
        "date": "2005",
        "date_basis": '"since 2005" (stated, GDToday 2025): the first of the Canton Fairs attended. The same '
        'sentence\'s "137 sessions" cannot be the number attended since 2005 (the fair is held twice a year); '
        "it is not used for dating",
        "title": "Liu Weining's organisation begins attending every Canton Fair",
        "summary": "The non-profit China-Russia platform Alyosha (Liu Weining) works for has attended every "
        "Canton Fair since 2005 without missing a session.",
        "tags": ["trade", "people"],
        "quotes": [
            (GD, "\"We've attended every Canton Fair since 2005—137 sessions without absence,\" he notes."),
        ],
    },
    {
        "id": "2005-liu-weining-moves-to-china",
        "date": "2005~",
        "date_basis": '"For 20 years, China has been my home" in an interview published in 2025 (year inferred '
        'from "this year marks the 80th anniversary"): about 2005, approximate',
        "title": "Alyosha (Liu Weining) moves to China",
        "summary": "Liu Shaoqi's Russian-born grandson, who had lived in the Soviet Union without a foreign passport, "
        "moved to China in his forties and has lived there for about twenty years.",
        "tags": ["people"],
        "quotes": [
            (GD, "Decades later, this connection deepened after Liu moved to China in his 40s, a journey he never "
             "anticipated. \"I lived in the Soviet Union without a foreign passport, yet destiny brought me here. "
             "For 20 years, China has been my home, allowing me to truly understand my grandfather's legacy.\""),
        ],
    },
    {
        "id": "2009-ballistic-missile-launch-notification-pact",
        "date": "2009",
        "date_basis": '"last year" in an article published 2010-05-09',
        "title": "China and Russia agree to notify each other of ballistic missile launches",
        "summary": "Among the year's achievements in relations, the two countries signed a pact to inform each other "
        "of ballistic missile launches.",
        "tags": ["agreement", "military", "diplomacy"],
        "quotes": [
            (XH10, "Sino-Russia relations last year made historical achievements through a series of actions, "
             "including the signing of a pact to inform each other of ballistic missile launchings"),
        ],
    },
    {
        "id": "2009-skovorodino-daqing-oil-pipeline",
        "date": "2009",
        "date_basis": '"last year" in an article published 2010-05-09',
        "title": "Skovorodino–Daqing oil pipeline programme launched",
        "summary": "A 1,030 km oil pipeline programme from Skovorodino in Russia to Daqing in northeastern China "
        "was initiated, one of the year's achievements in relations.",
        "tags": ["energy"],
        "quotes": [
            (XH10, "Sino-Russia relations last year made historical achievements through a series of actions, "
             "including the signing of a pact to inform each other of ballistic missile launchings and the "
             "initiation of a 1,030km oil pipeline program running from Russia's Skovorodino to China's "
             "northeastern city of Daqing."),
        ],
    },
    {
        "id": "2010-2024-china-largest-trading-partner",
        "date": "2010/2024",
        "date_basis": '"for the 15th consecutive year" in 2024 (Xinhua 2025): 2010-2024 by counting back',
        "title": "China is Russia's largest trading partner for 15 consecutive years",
        "summary": "By 2024 China had been Russia's largest trading partner for fifteen years in a row.",
        "tags": ["trade"],
        "quotes": [
            (XH25, "In 2024, bilateral trade rose to US$244.8 billion, making China the largest trading partner "
             "of Russia for the 15th consecutive year."),
        ],
    },
    {
        "id": "2010-05-08-hu-meets-russian-veterans",
        "date": "2010-05-08",
        "date_basis": '"on Saturday" in an article published Sunday 2010-05-09 = 2010-05-08; the photo caption '
        'says "May 8, 2010"',
        "title": "In Moscow, Hu Jintao honours Russian veterans of the 1945 Northeast China campaign",
        "summary": "In Moscow, Hu Jintao met and honoured Russian veterans who fought the Japanese in Northeast "
        "China, calling for closer strategic coordination between China and Russia.",
        "tags": ["commemoration", "visit", "diplomacy", "people"],
        "quotes": [
            (XH10, "Chinese President Hu Jintao (front L) meets with representatives of the Russian war veterans "
             "who helped China battle Japanese troops in the World Anti-Fascist War, in Moscow, capital of "
             "Russia, May 8, 2010."),
            (XH10, "Chinese President Hu Jintao, while meeting in Moscow on Saturday with Russian veterans who "
             "fought Japanese aggressor troops in Northeast China in August 1945, honored their great "
             "contributions."),
            (XH10, "Hu said Saturday when meeting with the Russian veterans that China and Russia should "
             "strengthen their strategic coordination, support each other strategically, propel the multi-polar "
             "process and safeguard world peace."),
        ],
    },
    {
        "id": "2010-05-09-65th-anniversary-ceremony-moscow",
        "date": "2010-05-09",
        "date_basis": '"Sunday\u2019s ceremony" in an article published Sunday 2010-05-09 (dateline "May 09, '
        '2010"): the same day',
        "title": "Moscow ceremony for the 65th anniversary of victory",
        "summary": "Hu Jintao was due to attend the Moscow ceremony celebrating the 65th anniversary of the end of "
        "the Great Patriotic War.",
        "tags": ["commemoration", "visit", "diplomacy"],
        "quotes": [
            (XH10, "He was set to attend Sunday\u2019s ceremony in Moscow celebrating the 65th anniversary."),
        ],
    },
    {
        "id": "2015-xi-signed-article-russian-gazette",
        "date": "2015?",
        "date_basis": '"prior to his 2015 visit to Russia" (Xinhua 2025): the text dates the article only by the '
        'visit, so it is taken to be of the same year and marked uncertain',
        "title": "Xi publishes a signed article in the Russian official gazette",
        "summary": "Before his 2015 visit, Xi Jinping published a signed article in Russia's official gazette, "
        "citing the historian Vasily Klyuchevsky.",
        "tags": ["media", "diplomacy"],
        "quotes": [
            (XH25, "In a signed article published by the Russian Official Gazette newspaper prior to his 2015 visit "
             "to Russia, XI cited Russian historian Vasily Klyuchevsky."),
        ],
    },
    {
        "id": "2015-xi-visit-russia",
        "date": "2015",
        "date_basis": '"his 2015 visit to Russia" (stated, Xinhua 2025)',
        "title": "Xi Jinping visits Russia",
        "summary": "Xi Jinping visited Russia in 2015.",
        "tags": ["visit", "diplomacy"],
        "quotes": [
            (XH25, "In a signed article published by the Russian Official Gazette newspaper prior to his 2015 visit "
             "to Russia"),
        ],
    },
    {
        "id": "2023-03-xi-meets-putin",
        "date": "2023-03",
        "date_basis": '"meeting with Putin in March 2023" (stated, Xinhua 2025; the machine-translated sentence is '
        "garbled but the date is explicit)",
        "title": "Xi Jinping meets Putin on a March 2023 visit",
        "summary": "Xi met Putin in March 2023, on what the (garbled) text calls Xi's first visit, and the two "
        "pledged joint efforts to steer global governance and build a community with a shared future.",
        "tags": ["visit", "diplomacy"],
        "quotes": [
            (XH25, "China and Russia are natural responsibility for making joint efforts to manipulate and promote "
             "global governance in the direction of meeting with Putin in March 2023, when they meet with Putin, "
             "during XI\u2019s first visit"),
        ],
    },
    {
        "id": "2024-bilateral-trade-244-8-billion",
        "date": "2024",
        "date_basis": '"In 2024" (stated, Xinhua 2025)',
        "title": "China–Russia trade reaches US$244.8 billion",
        "summary": "Bilateral trade rose to US$244.8 billion in 2024, keeping China Russia's largest trading partner.",
        "tags": ["trade"],
        "quotes": [
            (XH25, "In 2024, bilateral trade rose to US$244.8 billion, making China the largest trading partner "
             "of Russia for the 15th consecutive year."),
        ],
    },
    {
        "id": "2024-05-09-victory-day-parade-79th",
        "date": "2024-05-09",
        "date_basis": '"on May 9, 2024" (stated in the article\'s own photo caption, Xinhua 2025)',
        "title": "Victory Day parade marks the 79th anniversary in Moscow",
        "summary": "Su-25 attack aircraft flew over Red Square during the Victory Day parade for the 79th anniversary "
        "of the Soviet victory in the Great Patriotic War.",
        "tags": ["commemoration", "military"],
        "quotes": [
            (XH25, "The SU-25 attack aircraft will fly through the Red Square during the military parade on Victory "
             "Day, marking the 79th anniversary of the Soviet victory in the Great Patriotic War in Moscow, Russia "
             "on May 9, 2024."),
        ],
    },
    {
        "id": "2024-10-23-brics-summit-kazan",
        "date": "2024-10-23",
        "date_basis": '"on October 23, 2024" (stated in the article\'s own photo caption, Xinhua 2025); the '
        "caption dates the press-centre scene during the summit",
        "title": "16th BRICS Summit in Kazan",
        "summary": "Russia hosted the 16th BRICS Summit in Kazan, one of the multilateral platforms through which "
        "China and Russia coordinate.",
        "tags": ["multilateral", "diplomacy"],
        "quotes": [
            (XH25, "Media staff works at the press centre of the 16th BRICS Summit in Kazan, Russia on October 23, "
             "2024 (Xinhua/Shen Hong)"),
        ],
    },
    {
        "id": "2024-12-eastern-route-gas-pipeline-completed",
        "date": "2024-12",
        "date_basis": '"In December 2024" (stated, Xinhua 2025)',
        "title": "Eastern Route natural gas pipeline completed",
        "summary": "The China–Russia Eastern Route natural gas pipeline was fully completed.",
        "tags": ["energy"],
        "quotes": [
            (XH25, "In December 2024, China and Russia\u2019s Eastern Route Natural Gas Pipeline was completely "
             "completed."),
        ],
    },
    {
        "id": "2025-80th-anniversary-of-victory",
        "date": "2025",
        "date_basis": '"this year marks the 80th anniversary" (GDToday); 1945 + 80 = 2025, consistent with the '
        "other 2025 articles",
        "title": "80th anniversary of the victory over fascism",
        "summary": "2025 marks 80 years since the Soviet victory in the Great Patriotic War and the global victory "
        "over fascism, the occasion for the commemorations and articles of that year.",
        "tags": ["commemoration"],
        "quotes": [
            (GD, "as this year marks the 80th anniversary of the Soviet Union's Great Patriotic War and the global "
             "victory over fascism."),
        ],
    },
    {
        "id": "2025-liu-weining-gdtoday-interview",
        "date": "2025",
        "date_basis": '"his recent interview with GDToday" in an article of 2025 (year from "this year marks the '
        '80th anniversary")',
        "title": "Alyosha (Liu Weining) interviewed by GDToday",
        "summary": "Liu Shaoqi's Russian-born grandson told GDToday that China and Russia, which bore the heaviest "
        "losses of the war, must preserve its historical truth.",
        "tags": ["media", "people", "commemoration"],
        "quotes": [
            (GD, "said Alyosha (Liu Weining), the Russian-born grandson of Chinese revolutionary leader Liu Shaoqi, "
             "in his recent interview with GDToday, as this year marks the 80th anniversary of the Soviet Union's "
             "Great Patriotic War and the global victory over fascism."),
        ],
    },
    {
        "id": "2025-02-xi-putin-phone-call",
        "date": "2025-02",
        "date_basis": '"in February" in the Xinhua preview, published (inferred) in early May 2025, before the 7-10 '
        "May visit it announces: the February of that year, 2025",
        "title": "Xi and Putin speak by telephone",
        "summary": "In a phone call with Putin, Xi described China and Russia as good neighbours and true friends who "
        "share weal and woe and support each other.",
        "tags": ["diplomacy"],
        "quotes": [
            (XH25, "History and reality show that China and Russia are good neighbors who cannot escape, and true "
             "friends who share Weal and Woe, support each other and achieve common development, Xi said in a "
             "telephone conversation with Putin in February."),
        ],
    },
    {
        "id": "2025-02-01-russian-belarusian-tourists-shanghai",
        "date": "2025-02-01",
        "date_basis": '"on February 1, 2025" (stated in the article\'s own photo caption, Xinhua 2025)',
        "title": "Russian and Belarusian tourists in Shanghai's Yuyuan Garden",
        "summary": "Belarusian and Russian tourists were photographed in Shanghai's Yuyuan Garden, illustrating the "
        "growth of two-way travel under the group-tour visa waiver.",
        "tags": ["people"],
        "quotes": [
            (XH25, "Belarus and Russian tourists will take a photo on February 1, 2025 in the Yuyuan Garden Area in "
             "Shanghai, eastern China"),
        ],
    },
    {
        "id": "2025-05-xi-article-rossiyskaya-gazeta",
        "date": "2025-05?",
        "date_basis": '"ahead of his trip" (web 2025), i.e. before the visit that began on 7 May 2025; the texts give '
        'no date for the article, so the month is inferred, hence "?". Daily8 mentions the article next to "this '
        'year\'s military parade" (2025).',
        "title": "Xi's signed article in Rossiyskaya Gazeta",
        "summary": "Ahead of his trip, Xi wrote in Rossiyskaya Gazeta that a correct historical perspective on WWII "
        "must be upheld, and stressed the decisive roles both countries played in the war.",
        "tags": ["media", "diplomacy"],
        "quotes": [
            (WEB, "\"We must uphold a correct historical perspective on WWII,\" Xi wrote in an article for the "
             "Russian Gazette ahead of his trip."),
            (D8, "At this year's military parade, President Putin praised the Chinese people's significant "
             "contributions to the victory. In a signed article in Rossiyskaya Gazeta, President Xi Jinping also "
             "emphasized the decisive roles played by both countries."),
        ],
    },
    {
        "id": "2025-05-07-xi-state-visit-russia",
        "date": "2025-05-07/2025-05-10",
        "date_basis": '"from May 7 to 10" (Daily8, stated; year 2025 from "Eighty years ago"/"this year\'s military '
        'parade"). "from Wednesday to Saturday" in the Xinhua preview, resolved against its publication just before '
        'the visit in early May 2025 (inferred), is Wednesday 7 to Saturday 10 May: the two agree. Disagreement: '
        'the web article, published (inferred) just after Victory Day, says Xi "traveled to Moscow on Friday", '
        "i.e. Friday 9 May 2025, two days after the stated start. The stated 7 May, supported by two sources, is "
        "kept; the web article's Friday matches the day of the commemoration he joined.",
        "title": "Xi Jinping's state visit to Russia for the 80th Victory Day",
        "summary": "At Putin's invitation Xi paid a state visit to Russia and attended the Victory Day events for the "
        "80th anniversary of the Soviet victory, his 11th trip to Russia as president.",
        "tags": ["visit", "diplomacy", "commemoration"],
        "quotes": [
            (D8, "At President Putin's invitation, President Xi Jinping paid a state visit to Russia from May 7 to "
             "10 and attended the Victory Day events."),
            (XH25, "At the invitation of Russian President Vladimir Putin, Chinese President Xi Jinping will pay a "
             "state visit to Russia from Wednesday to Saturday, attending in Moscow, celebrating the 80th "
             "anniversary of the Soviet Union\u2019s victory in the Great Patriotic War."),
            (WEB, "In a powerful display of solidarity, Chinese President Xi Jinping traveled to Moscow on Friday to "
             "join Russian President Vladimir Putin in commemorating the 80th anniversary of victory in the Soviet "
             "Union's Great Patriotic War."),
        ],
    },
    {
        "id": "2025-05-08-cooperation-documents-exchanged",
        "date": "2025-05-08",
        "date_basis": '"On May 8" (Daily8), during the visit of "May 7 to 10", whose year is 2025 ("Eighty years '
        'ago", "this year\'s military parade")',
        "title": "Xi and Putin witness the exchange of cooperation documents",
        "summary": "The two presidents witnessed the exchange of cooperation documents (28, the article says later) "
        "covering trade, investment, education, culture, science, media and youth exchanges.",
        "tags": ["agreement", "trade", "diplomacy"],
        "quotes": [
            (D8, "On May 8, China and Russia signed a series of cooperation documents, including two major joint "
             "statements. The first focuses on further deepening the China-Russia comprehensive strategic "
             "partnership of coordination for the new era; the second is a joint statement on global strategic "
             "stability. In addition, the two heads of state witnessed the exchange of multiple cooperation "
             "agreements in areas such as education, investment, culture, and science and technology."),
        ],
    },
    {
        "id": "2025-05-08-joint-statement-global-strategic-stability",
        "date": "2025-05-08",
        "date_basis": '"On May 8" (Daily8), during the visit of "May 7 to 10", whose year is 2025 ("Eighty years '
        'ago", "this year\'s military parade")',
        "title": "Joint Statement on Maintaining Global Strategic Stability",
        "summary": "China and Russia signed a joint statement on global strategic stability which, the article says, "
        "for the first time brings biosecurity, chemical weapons and military AI ethics into that agenda.",
        "tags": ["agreement", "military", "diplomacy"],
        "quotes": [
            (D8, "On May 8, China and Russia signed a series of cooperation documents, including two major joint "
             "statements. The first focuses on further deepening the China-Russia comprehensive strategic "
             "partnership of coordination for the new era; the second is a joint statement on global strategic "
             "stability."),
        ],
    },
    {
        "id": "2025-05-08-joint-statement-strategic-partnership",
        "date": "2025-05-08",
        "date_basis": '"On May 8" (Daily8), during the visit of "May 7 to 10", whose year is 2025 ("Eighty years '
        'ago", "this year\'s military parade")',
        "title": "Joint Statement on Further Deepening the Comprehensive Strategic Partnership",
        "summary": "The joint statement on deepening the partnership for the new era makes a shared view of WWII "
        "history part of bilateral cooperation: joint commemorations, research, search for fallen soldiers' "
        "remains and restoration of memorials.",
        "tags": ["agreement", "diplomacy", "commemoration"],
        "quotes": [
            (D8, "On May 8, China and Russia signed a series of cooperation documents, including two major joint "
             "statements. The first focuses on further deepening the China-Russia comprehensive strategic "
             "partnership of coordination for the new era;"),
        ],
    },
    {
        "id": "2025-05-09-victory-day-parade-80th",
        "date": "2025-05-09",
        "date_basis": '"this year\'s military parade" (Daily8, 2025), part of the Victory Day events of the 7-10 May '
        "visit; Victory Day is 9 May (the Xinhua preview's caption dates the 2024 parade \"May 9\") and the web "
        'article\'s "on Friday" (joining the 80th-anniversary commemoration) is Friday 9 May 2025',
        "title": "Red Square parade for the 80th anniversary of victory",
        "summary": "Some 27 foreign heads of state, Xi among them, attended the Red Square parade, where Putin praised "
        "the Chinese people's contribution to the victory.",
        "tags": ["commemoration", "military"],
        "quotes": [
            (D8, "At this year's military parade, President Putin praised the Chinese people's significant "
             "contributions to the victory."),
            (WEB, "Chinese President Xi Jinping traveled to Moscow on Friday to join Russian President Vladimir "
             "Putin in commemorating the 80th anniversary of victory in the Soviet Union's Great Patriotic War."),
        ],
    },
]


def _read(path: str) -> str:
    with open(ROOT / path, encoding="utf-8", newline="") as fh:
        return fh.read()


def boilerplate_regions(text: str, markers: list[tuple[str, str | None]]) -> list[tuple[int, int]]:
    """The [start, end) spans of a source's boilerplate, located from their marker text."""
    regions = []
    for begin, finish in markers:
        start = locate("boilerplate", text, begin).start
        end = len(text) if finish is None else text.index(finish, start) + len(finish)
        regions.append((start, end))
    return regions


def build() -> dict[str, Any]:
    """The events.json document, with every quote located in its source; raises on any curation error."""
    texts = {s["id"]: _read(s["path"]) for s in SOURCES}
    regions = {sid: boilerplate_regions(texts[sid], BOILERPLATE[sid]) for sid in texts}
    errors: list[str] = []
    events = []
    for ev in EVENTS:
        bad_tags = sorted(set(ev["tags"]) - set(TAGS))
        if bad_tags:
            errors.append(f"{ev['id']}: tags outside the vocabulary: {bad_tags}")
        quotes = []
        for q in ev["quotes"]:
            sid, phrase = q[0], q[1]
            occurrence = q[2] if len(q) > 2 else None
            try:
                found = locate(sid, texts[sid], phrase, occurrence=occurrence)
            except QuoteNotFound as exc:
                errors.append(f"{ev['id']}: {exc}")
                continue
            for a, b in regions[sid]:
                if found.start < b and a < found.end:
                    errors.append(f"{ev['id']}: quote {found.start}:{found.end} lies in boilerplate {a}:{b} of {sid}")
            quotes.append({"source": sid, "start": found.start, "end": found.end, "text": found.text})
        events.append({**{k: ev[k] for k in ("id", "date", "date_basis", "title", "summary", "tags")},
                       "quotes": quotes})
    if errors:
        raise SystemExit("curation failed:\n" + "\n".join(f"- {e}" for e in errors))
    events.sort(key=lambda e: (parse_edtf(e["date"]).lower, parse_edtf(e["date"]).upper, e["id"]))
    return {"schema_version": 1, "title": TITLE, "span": SPAN, "eras": ERAS, "sources": SOURCES, "events": events}


def render(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def validate(text: str) -> list[str]:
    """Problems the project's own validator finds in ``text`` as if it were events.json (nothing is written)."""
    _, problems = check(OUT, text.encode("utf-8"))
    return [str(p) for p in problems]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="fail if events.json differs from the definitions")
    args = parser.parse_args(argv)
    text = render(build())
    problems = validate(text)
    if problems:
        print("the generated data does not validate:\n" + "\n".join(f"- {p}" for p in problems), file=sys.stderr)
        return 1
    if args.check:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            print("events.json is out of date: run tools/curate_events.py", file=sys.stderr)
            return 1
        print("events.json is up to date")
        return 0
    atomic_write_text(OUT, text)
    doc = json.loads(text)
    counts = {s["id"]: sum(any(q["source"] == s["id"] for q in e["quotes"]) for e in doc["events"]) for s in SOURCES}
    print(f"wrote {OUT.name}: {len(doc['events'])} events, "
          f"{sum(len(e['quotes']) for e in doc['events'])} quotes; events per source: {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
