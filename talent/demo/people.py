"""Made-up persons: Korean names at their real frequencies with their usual Latin spellings, valid and
unique ORCID iDs and national researcher numbers. Draws only from the random generator it is given."""

from __future__ import annotations

import datetime
import random
from itertools import accumulate

from stdnum.iso7064 import mod_11_2

from talent.demo import names
from talent.demo.records import PersonPlan
from talent.registry.vocabulary import Gender

_FAMILY_CUMULATIVE = list(accumulate(weight for _, _, weight in names.FAMILY_NAMES))
_FOREIGN_CUMULATIVE = list(accumulate(weight for _, weight in names.STUDENT_FOREIGN_NATIONALITIES))
_GIVEN: dict[tuple[str, bool], tuple[tuple[str, str], ...]] = {
    (Gender.MALE, True): names.YOUNG_MALE_NAMES,
    (Gender.FEMALE, True): names.YOUNG_FEMALE_NAMES,
    (Gender.MALE, False): names.OLDER_MALE_NAMES,
    (Gender.FEMALE, False): names.OLDER_FEMALE_NAMES,
}


def orcid(n: int) -> str:
    """The n-th demo ORCID iD: distinct for n below ten million, with a correct ISO 7064 check character."""
    digits = f"00000002{(n * 7919 + 1_234_567) % 10_000_000:07d}"
    digits += mod_11_2.calc_check_digit(digits)
    return "-".join(digits[i : i + 4] for i in range(0, 16, 4))


def national_researcher_number(n: int) -> str:
    """The n-th demo 국가연구자번호: eight digits, distinct for n below ninety million."""
    return f"{10_000_000 + (n * 7919 + 4242) % 90_000_000:08d}"


class PersonMaker:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._orcids = 0
        self._researcher_numbers = 0

    def person(
        self,
        key: str,
        *,
        born: tuple[int, int],
        young: bool,
        mail_domain: str,
        female_share: float,
        orcid_share: float = 0.0,
        researcher_number_share: float = 0.0,
        nationality: str = "KR",
        login: str | None = None,
    ) -> PersonPlan:
        rng = self.rng
        roll = rng.random()
        gender = Gender.FEMALE if roll < female_share else (Gender.MALE if roll < 0.98 else "")
        if nationality == "KR":
            family_ko, family_latin, _ = rng.choices(names.FAMILY_NAMES, cum_weights=_FAMILY_CUMULATIVE)[0]
            pool = _GIVEN[(gender or rng.choice((Gender.MALE, Gender.FEMALE)), young)]
            given_ko, given_latin = rng.choice(pool)
        else:
            families, givens = names.FOREIGN_NAMES[nationality]
            family_ko = given_ko = ""
            family_latin, given_latin = rng.choice(families), rng.choice(givens)
        birth_date = datetime.date(rng.randint(*born), 1, 1) + datetime.timedelta(days=rng.randrange(365))
        local = f"{given_latin}.{family_latin}".lower().replace(" ", "")
        email = f"{local}{rng.randint(1, 99)}@{mail_domain}"
        has_orcid = rng.random() < orcid_share
        has_researcher_number = rng.random() < researcher_number_share
        return PersonPlan(
            key=key,
            family_name_ko=family_ko,
            given_name_ko=given_ko,
            family_name_latin=family_latin,
            given_name_latin=given_latin,
            birth_date=birth_date,
            gender=gender,
            nationality=nationality,
            email=email,
            orcid=self._next_orcid() if has_orcid else None,
            national_researcher_number=self._next_researcher_number() if has_researcher_number else None,
            login=login,
        )

    def student_nationality(self) -> str:
        """About 6 % of AX graduate students come from abroad, most from China and Vietnam."""
        if self.rng.random() >= 0.06:
            return "KR"
        return self.rng.choices(names.STUDENT_FOREIGN_NATIONALITIES, cum_weights=_FOREIGN_CUMULATIVE)[0][0]

    def _next_orcid(self) -> str:
        self._orcids += 1
        return orcid(self._orcids)

    def _next_researcher_number(self) -> str:
        self._researcher_numbers += 1
        return national_researcher_number(self._researcher_numbers)
