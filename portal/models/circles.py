"""Places and buurtcirkels: District → Neighbourhoods → Circles."""

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db


class District(db.Model):
    """A wijk, such as Vleuten-De Meern."""

    __tablename__ = "districts"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))

    neighbourhoods: Mapped[list["Neighbourhood"]] = relationship(
        back_populates="district", order_by="Neighbourhood.name"
    )


class Neighbourhood(db.Model):
    """A buurt inside the district, such as Vleuterweide."""

    __tablename__ = "neighbourhoods"

    id: Mapped[int] = mapped_column(primary_key=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"), index=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))

    district: Mapped[District] = relationship(back_populates="neighbourhoods")
