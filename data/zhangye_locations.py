"""Approximate WGS84 coordinates of the Zhangye sample's posts, and the detachment HQ.

    from data.zhangye_locations import HQ, LOCATIONS, location_of, locations_for

`LOCATIONS` maps every post id of the scale-1 sample (`data/generate_zhangye.py`) to
(lat, lon) in degrees. The checkpoints sit at the real towns, toll stations and junctions their
names give (read off a map, good to a few km, not survey data); the city intersections are spread
over central Ganzhou in a plausible layout; isolation sites and supply depots are synthetic.
`SYNTHETIC` lists the ids whose place is invented. See data/LOCATIONS.md.

Scaled copies (`--scale K`) prefix their ids with `c{k}-` and share the places of copy 1:
`location_of("c3-gz-g30-dong")` is `LOCATIONS["gz-g30-dong"]`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

HQ_ID = "hq"
HQ_NAME = "张掖市公安局交警支队（甘州区）"
HQ: tuple[float, float] = (38.93, 100.45)
"""The detachment headquarters, Ganzhou district, Zhangye city (approximate)."""

CHECKPOINT_LOCATIONS: dict[str, tuple[float, float]] = {
    # Ganzhou district: G30 toll stations around the city, national/provincial/county roads.
    "gz-g30-dong": (38.965, 100.545),  # Zhangye East toll station, G30
    "gz-g30-nan": (38.885, 100.480),  # Zhangye South toll station (G30 / G227 junction)
    "gz-g30-xi": (38.965, 100.345),  # Zhangye West toll station, G30
    "gz-g30-jiantan": (38.865, 100.640),  # Jiantan toll station, G30, towards Shandan
    "gz-g227-daman": (38.790, 100.440),  # Daman town, G227 south towards Minle
    "gz-g312-shajing": (39.115, 100.315),  # Shajing town, G312 north-west
    "gz-g213-ganjun": (38.870, 100.225),  # Ganjun town, west
    "gz-s213-anyang": (38.720, 100.545),  # Anyang township, S213 south
    "gz-x-longqu": (38.805, 100.300),  # Longqu township, south-west
    "gz-y-sanzha": (39.010, 100.440),  # Sanzha town, north
    # Linze county (seat Shahe town), along the G30 / G312 Hexi corridor.
    "lz-g30-linze": (39.125, 100.175),  # Linze toll station, G30
    "lz-g30-liaoquan": (39.255, 99.990),  # Liaoquan toll station, G30
    "lz-g312-shahe": (39.150, 100.160),  # Shahe town (county seat), G312
    "lz-g312-pingchuan": (39.330, 99.880),  # Pingchuan town, G312 north-west
    "lz-s301-banqiao": (39.290, 100.090),  # Banqiao town, north of the Heihe
    "lz-x-xinhua": (39.100, 100.040),  # Xinhua town
    "lz-y-yanuan": (39.215, 99.960),  # Yanuan town
    # Gaotai county (seat Chengguan town).
    "gt-g30-gaotai": (39.365, 99.830),  # Gaotai toll station, G30
    "gt-g30-nanhua": (39.320, 99.890),  # Nanhua toll station, G30
    "gt-g312-xuanhua": (39.420, 99.720),  # Xuanhua town, G312
    "gt-g312-heiquan": (39.530, 99.550),  # Heiquan township, G312 towards Jiuquan
    "gt-s301-luotuocheng": (39.200, 99.580),  # Luotuocheng town, S301 south-west
    "gt-s-xinba": (39.050, 99.500),  # Xinba town, south
    "gt-x-heli": (39.500, 99.670),  # Heli town, north of the Heihe
    "gt-y-luocheng": (39.680, 99.600),  # Luocheng town, down the Heihe
    # Shandan county (seat Qingquan town).
    "sd-g30-shandandong": (38.775, 101.175),  # Shandan East toll station, G30
    "sd-g30-shandan": (38.795, 101.085),  # Shandan toll station, G30
    "sd-g30-qingquan": (38.805, 101.020),  # Qingquan toll station, G30
    "sd-g312-weiqi": (38.690, 101.290),  # Weiqi town, G312 towards Yongchang
    "sd-g312-dongle": (38.830, 100.800),  # Dongle township, G312 towards Zhangye
    "sd-s-damaying": (38.420, 101.200),  # Damaying town (Shandan horse ranch), south
    "sd-x-laojun": (38.650, 101.400),  # Laojun township, east
    "sd-y-huocheng": (38.550, 101.130),  # Huocheng town
    # Minle county (seat Hongshui town), G3011 Zhangye–Biandukou and G227.
    "ml-g3011-minle": (38.455, 100.800),  # Minle toll station, G3011
    "ml-g3011-xihuishan": (38.620, 100.690),  # Xihuishan service area, G3011
    "ml-g227-biandukou": (38.190, 100.890),  # Biandukou pass, G227 towards Qinghai
    "ml-g227-liuba": (38.570, 100.710),  # Liuba town, G227
    "ml-g227-hongshui": (38.430, 100.820),  # Hongshui town (county seat), G227
    "ml-s-nangu": (38.330, 100.880),  # Nangu town
    "ml-x-yonggu": (38.300, 100.970),  # Yonggu town
    "ml-y-minlian": (38.580, 100.620),  # Minlian town
    # Sunan county (seat Hongwansi town), in the Qilian foothills; Huangcheng in the eastern part.
    "sn-g227-huangcheng": (38.050, 101.550),  # Huangcheng town
    "sn-s213-hongwansi": (38.840, 99.620),  # Hongwansi town (county seat), S213
    "sn-s213-mati": (38.500, 100.420),  # Mati township (Mati temple), S213
    "sn-x-kangle": (38.800, 99.860),  # Kangle town
    "sn-y-dahe": (38.870, 99.420),  # Dahe township
}

# Key intersections of Ganzhou city, gz-ix-01 .. gz-ix-34 in the generator's order. The old town is
# a square around the Drum Tower (鼓楼, about 38.932 N, 100.451 E) with four main streets and a ring
# road; these points follow that layout but are not surveyed.
INTERSECTION_LOCATIONS: dict[str, tuple[float, float]] = {
    "gz-ix-01": (38.9320, 100.4510),  # 鼓楼环岛
    "gz-ix-02": (38.9320, 100.4580),  # 东街什字
    "gz-ix-03": (38.9320, 100.4440),  # 西街什字
    "gz-ix-04": (38.9265, 100.4510),  # 南街什字
    "gz-ix-05": (38.9375, 100.4510),  # 北街什字
    "gz-ix-06": (38.9300, 100.4550),  # 县府街与甘州路口
    "gz-ix-07": (38.9340, 100.4400),  # 西大街与青年西街口
    "gz-ix-08": (38.9200, 100.4510),  # 南大街与南环路口
    "gz-ix-09": (38.9450, 100.4510),  # 北环路与北大街口
    "gz-ix-10": (38.9320, 100.4660),  # 东环路与东大街口
    "gz-ix-11": (38.9320, 100.4360),  # 西环路与西大街口
    "gz-ix-12": (38.9200, 100.4560),  # 南环路与县府南街口
    "gz-ix-13": (38.9450, 100.4560),  # 北环路与县府北街口
    "gz-ix-14": (38.9380, 100.4660),  # 青年东街与东环路口
    "gz-ix-15": (38.9380, 100.4360),  # 青年西街与西环路口
    "gz-ix-16": (38.9290, 100.4480),  # 民主西街与县府街口
    "gz-ix-17": (38.9290, 100.4590),  # 民主东街与东大街口
    "gz-ix-18": (38.9240, 100.4510),  # 劳动街与南大街口
    "gz-ix-19": (38.9400, 100.4510),  # 马神庙街与北大街口
    "gz-ix-20": (38.9450, 100.4440),  # 长沙门路与北环路口
    "gz-ix-21": (38.9200, 100.4440),  # 玉关路与南环路口
    "gz-ix-22": (38.9160, 100.4600),  # 滨河路与甘州路口
    "gz-ix-23": (38.9450, 100.4380),  # 丹霞大道与北环路口
    "gz-ix-24": (38.9270, 100.4360),  # 泰安路与西环路口
    "gz-ix-25": (38.9270, 100.4660),  # 甘泉路与东环路口
    "gz-ix-26": (38.9900, 100.4620),  # 火车站广场路口 (Zhangye railway station, north of town)
    "gz-ix-27": (38.9050, 100.3700),  # 张掖西站站前路口 (Zhangye West high-speed station)
    "gz-ix-28": (38.9180, 100.4530),  # 南关汽车站路口
    "gz-ix-29": (38.9480, 100.4480),  # 河西学院北环路口
    "gz-ix-30": (38.9350, 100.4720),  # 东湖路与环城东路口
    "gz-ix-31": (38.9320, 100.4300),  # 西关什字
    "gz-ix-32": (38.9150, 100.4510),  # 南关什字
    "gz-ix-33": (38.9500, 100.4510),  # 北关什字
    "gz-ix-34": (38.9320, 100.4720),  # 东关什字
}

OTHER_LOCATIONS: dict[str, tuple[float, float]] = {
    "gz-hosp-shi": (38.9290, 100.4470),  # 张掖市人民医院, central Ganzhou (approximate)
    "gz-hosp-qu": (38.9360, 100.4560),  # 甘州区人民医院, central Ganzhou (approximate)
    "gz-iso-1": (38.9560, 100.4500),  # synthetic: a hotel in the north of town
    "gz-iso-2": (38.9050, 100.4550),  # synthetic: a hotel in the southern outskirts
    "gz-depot-1": (38.9600, 100.4900),  # synthetic: city logistics park, north-east
    "gz-depot-2": (38.9150, 100.4300),  # synthetic: vegetable wholesale market, south-west
    "sd-iso-1": (38.7850, 101.1100),  # synthetic: a hotel east of Shandan town
}

LOCATIONS: dict[str, tuple[float, float]] = {
    **CHECKPOINT_LOCATIONS,
    **INTERSECTION_LOCATIONS,
    **OTHER_LOCATIONS,
}
"""(lat, lon) per post id of the scale-1 sample."""

SYNTHETIC: frozenset[str] = frozenset({"gz-iso-1", "gz-iso-2", "gz-depot-1", "gz-depot-2", "sd-iso-1"})
"""Posts whose place is invented (no real place named); the rest are approximate real places."""

_COPY_PREFIX = re.compile(r"^c\d+-")


def base_id(post_id: str) -> str:
    """The scale-1 id of a post of any copy: `c3-gz-g30-dong` -> `gz-g30-dong`."""
    return _COPY_PREFIX.sub("", post_id, count=1)


def location_of(post_id: str) -> tuple[float, float]:
    """(lat, lon) of a post id of any copy; KeyError naming the id when it has none."""
    try:
        return LOCATIONS[base_id(post_id)]
    except KeyError:
        raise KeyError(f"no location for post {post_id!r}") from None


def locations_for(post_ids: Iterable[str]) -> dict[str, tuple[float, float]]:
    """(lat, lon) per post id, for the ids that have a place (prefixed ids resolved)."""
    return {pid: LOCATIONS[base_id(pid)] for pid in post_ids if base_id(pid) in LOCATIONS}
