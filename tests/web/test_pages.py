"""The catalog pages render the standard: identity, items by area, requirements, parameters."""

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("member")]


def test_home_sends_a_user_without_a_scope_to_the_catalog(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/catalog/"


@pytest.mark.parametrize("url", ["/", "/catalog/", "/catalog/item/6/", "/catalog/params/"])
def test_pages_need_a_login(url):
    from django.test import Client

    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_catalog_shows_identity_and_items(client, fixture_catalog):
    html = client.get("/catalog/").content.decode()
    assert "北京市中小学校信息化建设规范（试行）" in html
    assert "北京市教育委员会" in html
    assert fixture_catalog.checksum[:12] in html
    for title in ("有线网络", "普通教室", "计算机教室", "智慧教室", "信息安全"):
        assert title in html
    assert 'id="area-infrastructure"' in html and "基础设施" in html
    assert 'id="area-security"' in html


def test_catalog_shows_requirements_with_level_badges(client):
    html = client.get("/catalog/").content.decode()
    assert "学校互联网接入带宽3不低于百兆" in html
    assert '<span class="badge badge-required">必配</span>' in html
    assert '<span class="badge badge-optional">选配</span>' in html
    assert "正文“3”为原文脚注标记。" in html  # the requirement's note
    assert "有线网络配置应结合区域统筹实际。" in html  # the item's remark


def test_catalog_shows_parameters_a_requirement_reads(client):
    html = client.get("/catalog/").content.decode()
    assert "互联网接入带宽下限" in html and "<strong>100</strong> Mbps" in html
    assert "<strong>4</strong> 个" in html  # read by an `each` condition
    assert "<strong>30</strong> 班" in html  # read by a body rule's `unless`
    assert "<strong>3</strong> 间" in html  # read by the cap's limit


def test_catalog_chart_data_counts_levels_per_area(client):
    response = client.get("/catalog/")
    chart = response.context["chart"]
    assert chart["areas"] == ["基础设施", "网络和信息安全"]
    by_level = {s["level"]: s["data"] for s in chart["series"]}
    assert by_level == {"required": [4, 2], "optional": [5, 1]}
    assert 'id="area-chart-data"' in response.content.decode()


def test_item_detail(client):
    html = client.get("/catalog/item/6/").content.decode()
    assert "计算机教室" in html and "学生用计算机按学校最大班额配置" in html
    assert "或可按生机比10:1比例进行配置（选配）" in html
    assert "student_computer_ratio_primary" in html or "小学生机比" in html
    assert 'href="/catalog/item/5/"' in html and 'href="/catalog/item/16/"' in html


def test_unknown_item_is_404(client):
    assert client.get("/catalog/item/99/").status_code == 404


def test_parameters_page(client):
    html = client.get("/catalog/params/").content.decode()
    assert "min_bandwidth_mbps" in html and "互联网接入带宽下限" in html
    assert "序号1" in html and "第5.3节" in html
    assert "原则上30个班级规模以下学校不单独建设校级数据中心" in html
    assert 'href="/catalog/item/1/#req-1-1"' in html


def test_htmx_request_gets_the_partial(client):
    response = client.get("/catalog/?level=optional", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html and 'id="area-infrastructure"' in html
    assert "HX-Request" in response["Vary"]
    assert "badge-required" not in html


@pytest.mark.parametrize(
    ("query", "present", "absent"),
    [
        ("level=required", ["杀毒软件"], ["下一代防火墙（选配）"]),
        ("stage=junior", ["普通教室"], ["计算机教室"]),
        ("q=防火墙", ["下一代防火墙（选配）", "网络安全设备"], ["普通教室", "杀毒软件"]),
        ("q=没有这样的要求", ["没有符合筛选条件的配置项。"], ["有线网络"]),
        ("level=bogus", ["有线网络", "信息安全"], []),
    ],
)
def test_filters(client, query, present, absent):
    html = client.get(f"/catalog/?{query}", headers={"HX-Request": "true"}).content.decode()
    assert all(text in html for text in present)
    assert not any(text in html for text in absent)


def test_security_headers(client):
    response = client.get("/catalog/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
